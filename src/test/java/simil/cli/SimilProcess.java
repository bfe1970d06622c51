package simil.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code simil} as a child JVM on the test classpath, with its image cache in a test folder
 * ({@code $SIMIL_CACHE}) so nothing lands in the user's cache. Output goes to files in {@code dir}.
 */
public final class SimilProcess {
    private final Path cache, dir;

    public SimilProcess(Path dir) {
        this.dir = dir;
        this.cache = dir.resolve("cache");
    }

    /** Starts {@code simil args...}; stdout and stderr go to dir/NAME.out and dir/NAME.err. */
    public Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Runs here are seconds long: the quick compiler's code is ready sooner than the optimizing one's.
                "-Xmx2g", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().put("SIMIL_CACHE", cache.toString());
        builder.environment().put("OPENBLAS_NUM_THREADS", "2");
        return builder.start();
    }

    /** Runs {@code simil args...} to completion and returns its outcome. */
    public Result run(String name, String... args) throws IOException, InterruptedException {
        int code = start(name, args).waitFor();
        return new Result(code, Files.readString(dir.resolve(name + ".out")), Files.readString(dir.resolve(name + ".err")));
    }

    public record Result(int exitCode, String out, String err) {}
}
