package simil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.cli.SyntheticTinyImageNet;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;

/**
 * The thin jar (target/simil-VERSION.jar, what mvn install puts under the project's Maven coordinates): the engine's
 * classes and native kernels and nothing of its dependencies, which a user's build brings; the README's Java example
 * runs against it and those jars alone.
 */
class ThinJarIT {
    @TempDir
    Path dir;

    private static Path thinJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("simil-.+\\.jar") && !p.getFileName().toString().endsWith("-tests.jar")).toList();
            assertEquals(1, jars.size(), "one thin jar in target/: " + jars);
            return jars.get(0);
        }
    }

    @Test
    void holdsTheEngineAndItsKernelsAndNoDependency() throws IOException {
        Path jar = thinJar();
        assertEquals(List.of(), JarProcess.classFolders(jar).stream().filter(f -> !f.startsWith("simil/")).toList());
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            assertTrue(zip.getEntry("native/linux-x86_64/libsimil_pairs.so") != null, "the native kernels travel with the engine");
            assertTrue(zip.getEntry("simil/api/SimilModel.class") != null);
        }
    }

    @Test
    void theJavaExampleRunsOnTheThinJarAndTheDependencies() throws Exception {
        List<String> classpath = new ArrayList<>(List.of(thinJar().toString(), Path.of("target/test-classes").toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // The dependencies' jars, as a user's build resolves them; not the test framework's, nor the engine's classes.
            if (entry.endsWith(".jar") && !entry.matches(".*(junit|opentest4j|apiguardian|surefire|failsafe).*") && !entry.contains("simil-")) {
                classpath.add(entry);
            }
        }
        Path model = dir.resolve("model"), a = dir.resolve("a.png"), b = dir.resolve("b.png");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 64, 0.3f, true, true, true, 5)), model);
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(0, 1, 64, 64), "png", a.toFile()));
        assertTrue(ImageIO.write(SyntheticTinyImageNet.image(0, 2, 64, 64), "png", b.toFile()));
        JarProcess.Result r = JarProcess.run(dir, "example", "-cp", String.join(File.pathSeparator, classpath), "example.SimilModelExample",
                model.toString(), a.toString(), b.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("similarity \\d[.,]\\d{4}: (similar|dissimilar)\\n"), r.out());
    }
}
