package simil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.backend.cuda.CudaBackend;
import simil.cli.SyntheticTinyImageNet;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;

/**
 * The CLI's fat jar (target/simil.jar, which ./simil and the benchmarks run): its third-party classes relocated under
 * simil.shaded, except JavaCPP's (its JNI libraries name their classes), and still working: JavaCPP's natives and
 * ours load, Gson writes reports, JFreeChart draws plots; of CUDA, the JNI libraries the backend loads and the kernels.
 */
class ShadedJarIT {
    private static final Path JAR = Path.of("target/simil.jar");

    @TempDir
    Path dir;

    @Test
    void onlyJavacppKeepsItsPackages() throws IOException {
        List<String> folders = JarProcess.classFolders(JAR);
        List<String> stray = folders.stream().filter(f -> !f.startsWith("simil/") && !f.startsWith("org/bytedeco/")).toList();
        assertEquals(List.of(), stray, "classes outside simil/ and org/bytedeco/");
        for (String shaded : List.of("simil/shaded/picocli/", "simil/shaded/com/google/gson/", "simil/shaded/org/jfree/chart/")) {
            assertTrue(folders.contains(shaded), "relocated: " + shaded);
        }
    }

    /** The CUDA backend's part of the jar: the three JNI libraries it loads (of the preset's 27) and our kernels. */
    @Test
    void theJarCarriesCudasJniLibrariesAndTheKernels() throws IOException {
        List<String> cuda;
        boolean fatbin;
        try (var zip = new java.util.zip.ZipFile(JAR.toFile())) {
            cuda = zip.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.startsWith("org/bytedeco/cuda/linux-x86_64/")
                    && n.endsWith(".so")).sorted().toList();
            fatbin = zip.getEntry("simil/kernels/simil.fatbin") != null;
        }
        assertEquals(List.of("org/bytedeco/cuda/linux-x86_64/libjnicublas.so", "org/bytedeco/cuda/linux-x86_64/libjnicudart.so",
                "org/bytedeco/cuda/linux-x86_64/libjnicudnn.so"), cuda);
        assertEquals(Files.exists(Path.of("target/classes/simil/kernels/simil.fatbin")), fatbin, "the fatbin, where nvcc built one");
    }

    @Test
    void cudaWithoutAUsableGpuIsOneLineFromTheJar() throws Exception {
        assumeTrue(CudaBackend.devices().isEmpty(), "skipped: this machine has a usable GPU");
        JarProcess.Result r = JarProcess.run(dir, "cuda", "-jar", JAR.toString(), "eval", "--model", dir.resolve("absent").toString(),
                "--data", dir.resolve("absent").toString(), "--device", "cuda");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().matches("simil: error: --device cuda: no usable GPU: [^\\n]+ \\(devices here: cpu\\)\n"), r.err());
    }

    @Test
    void dataCompareAndEvalRunFromTheJar() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 3, 8);
        JarProcess.Result data = JarProcess.run(dir, "data", "-jar", JAR.toString(), "data", "--data", zip.toString(), "--holdout", "2", "--val-per-class", "2");
        assertEquals(0, data.exitCode(), data.err());
        assertTrue(data.out().contains("images:  24 decoded, 0 skipped"), data.out());

        Path model = dir.resolve("model"), a = dir.resolve("a.png"), b = dir.resolve("b.png");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 64, 0.3f, true, true, true, 5)), model);
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(0, 1, 64, 64), "png", a.toFile()));
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(1, 2, 80, 64), "png", b.toFile()));
        JarProcess.Result compare = JarProcess.run(dir, "compare", "-jar", JAR.toString(), "compare", "--model", model.toString(), a.toString(), b.toString());
        assertEquals(0, compare.exitCode(), compare.err());
        assertTrue(compare.out().matches("similarity 0\\.\\d{4}: (similar|dissimilar) \\(threshold 0\\.5000, .*\\)\\n"), compare.out());

        Path report = dir.resolve("report");
        JarProcess.Result eval = JarProcess.run(dir, "eval", "-jar", JAR.toString(), "eval", "--model", model.toString(), "--data", zip.toString(),
                "--holdout", "2", "--val-per-class", "2", "--pairs", "all", "--out", report.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(Files.readString(report.resolve("report.json")).contains("\"auc\""), "Gson wrote the report");
        assertTrue(Files.size(report.resolve("roc.png")) > 1000, "JFreeChart drew the ROC");
    }
}
