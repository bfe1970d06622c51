package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import simil.backend.Backends;
import simil.backend.cuda.CudaBackend;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;

/** {@code --device} on every command that computes: {@code cpu} works, {@code cuda} without a usable GPU and unknown names are one line before any work. */
class DeviceOptionTest {
    @TempDir
    Path dir;

    /** Each computing command, complete but for --device; none reaches its data, model or weights. */
    private List<String[]> commands() {
        String out = dir.resolve("out").toString(), absent = dir.resolve("absent").toString();
        return List.of(
                new String[] {"train", "matchnet", "--data", absent, "--out", out},
                new String[] {"train", "beit", "--data", absent, "--out", out},
                new String[] {"sweep", "matchnet", "--lr", "1e-4,1e-3", "--data", absent, "--out", out},
                new String[] {"pretrain", "beit", "--tokenizer", absent, "--data", absent, "--out", out},
                new String[] {"tokenizer", "train", "--data", absent, "--out", out},
                new String[] {"eval", "--model", absent, "--data", absent},
                new String[] {"compare", "--model", absent, "a.png", "b.png"},
                new String[] {"import-hf", "--weights", absent, "--config", absent, "--out", out});
    }

    private static String[] with(String[] command, String device) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--device", device));
        return args.toArray(String[]::new);
    }

    @Test
    void cudaWithoutAUsableGpuIsOneLineAndWritesNothing() {
        assumeTrue(CudaBackend.devices().isEmpty(), "skipped: this machine has a usable GPU");
        for (String[] command : commands()) {
            for (String cuda : new String[] {"cuda", "cuda:1"}) {
                InProcess.Outcome r = InProcess.simil(with(command, cuda));
                assertEquals(1, r.code(), command[0] + ": " + r.err());
                assertTrue(r.err().matches("simil: error: --device " + cuda + ": no usable GPU: [^\\n]+ \\(devices here: cpu\\)\n"),
                        command[0] + ": " + r.err());
                assertFalse(Files.exists(dir.resolve("out")), command[0] + " wrote its output before failing");
            }
        }
    }

    /**
     * A driver that has no GPU for the runtime: a stand-in libcuda.so.1 with no functions at all (the CUDA runtime
     * loads the driver when first asked, and finds it lacking), so that the JNI libraries load and the runtime says why.
     */
    @Test
    void aDriverWithoutAGpuIsOneLine() throws IOException, InterruptedException {
        Path fake = dir.resolve("fake-driver");
        Files.createDirectories(fake);
        Files.writeString(fake.resolve("driver.c"), "int simil_no_driver_here;\n");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-Wl,-soname,libcuda.so.1", "-o", fake.resolve("libcuda.so.1").toString(),
                    fake.resolve("driver.c").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TestAbortedException("skipped: no gcc to build a stand-in libcuda.so.1");
        }
        assertEquals(0, gcc.waitFor(), new String(gcc.getInputStream().readAllBytes()));
        String path = System.getenv("LD_LIBRARY_PATH");
        SimilProcess simil = new SimilProcess(dir).withEnvironment("LD_LIBRARY_PATH", fake + (path == null ? "" : ":" + path));
        SimilProcess.Result r = simil.run("eval", "eval", "--model", dir.resolve("absent").toString(), "--data", dir.resolve("absent").toString(),
                "--device", "cuda");
        assumeTrue(!r.err().contains("libcudart.so.13"), "skipped: no CUDA 13 runtime here to run against a stand-in driver: " + r.err());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().matches("simil: error: --device cuda: no usable GPU: the CUDA runtime finds no GPU: cudaError\\w+ \\([^\\n]+\\)"
                + " \\(devices here: cpu\\)\n"), r.err());
    }

    @Test
    void anUnknownDeviceListsTheValidOnes() {
        String here = String.join(", ", Backends.available());
        for (String[] command : commands()) {
            InProcess.Outcome r = InProcess.simil(with(command, "gpu"));
            assertEquals(1, r.code(), command[0] + ": " + r.err());
            assertEquals("simil: error: --device gpu: unknown device 'gpu' (cpu, cuda, cuda:N; devices here: " + here + ")\n", r.err(), command[0]);
        }
    }

    @Test
    void everyComputingCommandTakesDevice() {
        for (String[] command : commands()) {
            InProcess.Outcome help = InProcess.simil(command[0], "--help");
            assertTrue(help.out().contains("--device=DEVICE"), command[0] + " --help:\n" + help.out());
        }
    }

    @Test
    void cpuComputes() throws IOException {
        Path model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 16, 0.3f, false, 5)), model);
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png");
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(0, 1, 64, 64), "png", a.toFile()));
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(1, 2, 64, 64), "png", b.toFile()));
        InProcess.Outcome onCpu = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString(), "--device", "cpu");
        InProcess.Outcome byDefault = InProcess.simil("compare", "--model", model.toString(), a.toString(), b.toString());
        assertEquals(0, onCpu.code(), onCpu.err());
        assertTrue(onCpu.out().startsWith("similarity "), onCpu.out());
        assertEquals(byDefault.out(), onCpu.out(), "cpu is the default");
    }
}
