package simil.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code simil} as a child JVM on the test classpath, with its image cache in a test folder
 * ({@code $SIMIL_CACHE}) so nothing lands in the user's cache. Output goes to files in {@code dir}.
 */
public final class SimilProcess {
    private final Path cache, dir;
    /** ulimit -f for the child in KiB, or -1 for none. */
    private final long fileSizeLimitKb;
    /** Variables set in the child's environment besides the cache and the thread count. */
    private final Map<String, String> environment;

    public SimilProcess(Path dir) {
        this(dir, -1, Map.of());
    }

    private SimilProcess(Path dir, long fileSizeLimitKb, Map<String, String> environment) {
        this.dir = dir;
        this.cache = dir.resolve("cache");
        this.fileSizeLimitKb = fileSizeLimitKb;
        this.environment = environment;
    }

    /**
     * The same, but no file the child writes may grow past {@code kilobytes} (ulimit -f: such a write fails as on a
     * full disk, without root), and the child runs in {@code dir}, where a JVM crash would leave its hs_err file.
     */
    public SimilProcess withFileSizeLimit(long kilobytes) {
        return new SimilProcess(dir, kilobytes, environment);
    }

    /** The same, with {@code name=value} in the child's environment. */
    public SimilProcess withEnvironment(String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(name, value);
        return new SimilProcess(dir, fileSizeLimitKb, Map.copyOf(more));
    }

    /** Starts {@code simil args...}; stdout and stderr go to dir/NAME.out and dir/NAME.err. */
    public Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (fileSizeLimitKb >= 0) command.addAll(List.of("bash", "-c", "ulimit -f " + fileSizeLimitKb + " && exec \"$@\"", "simil"));
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Runs here are seconds long: the quick compiler's code is ready sooner than the optimizing one's.
                "-Xmx2g", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        if (fileSizeLimitKb >= 0) builder.directory(dir.toFile());
        builder.environment().put("SIMIL_CACHE", cache.toString());
        builder.environment().put("OPENBLAS_NUM_THREADS", "2");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Runs {@code simil args...} to completion and returns its outcome. */
    public Result run(String name, String... args) throws IOException, InterruptedException {
        int code = start(name, args).waitFor();
        return new Result(code, Files.readString(dir.resolve(name + ".out")), Files.readString(dir.resolve(name + ".err")));
    }

    public record Result(int exitCode, String out, String err) {}
}
