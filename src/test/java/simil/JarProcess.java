package simil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code java ARGS...} from a packaged jar in a child JVM (the jar tests), its image cache in a folder of the test's. */
final class JarProcess {
    private JarProcess() {}

    record Result(int exitCode, String out, String err) {}

    static Result run(Path dir, String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"));
        command.addAll(List.of(args));
        Path out = dir.resolve(name + ".out"), err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("SIMIL_CACHE", dir.resolve("cache").toString());
        builder.environment().put("OPENBLAS_NUM_THREADS", "2");
        int code = builder.start().waitFor();
        return new Result(code, Files.readString(out), Files.readString(err));
    }

    /** Every class file's folder in {@code jar}, e.g. "simil/cli/" or "org/bytedeco/javacpp/". */
    static List<String> classFolders(Path jar) throws IOException {
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.endsWith(".class") && n.contains("/"))
                    .map(n -> n.substring(0, n.lastIndexOf('/') + 1)).distinct().sorted().toList();
        }
    }
}
