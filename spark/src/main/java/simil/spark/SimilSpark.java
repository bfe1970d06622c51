package simil.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import simil.io.BuildVersion;

/**
 * The {@code simil-spark} command, run by {@code spark-submit --class simil.spark.SimilSpark simil-spark.jar COMMAND ...}:
 * {@code embed} and {@code pairs}. Errors are one line on stderr, as the engine's: a usage error exits 2, a failure 1
 * (a task's failure as its cause says it, not as Spark's stage report).
 */
@Command(name = "simil-spark", mixinStandardHelpOptions = true, versionProvider = SimilSpark.Version.class,
        description = "Embeddings, all-pairs scoring and top-k search of a Simil model as Spark jobs.",
        subcommands = {EmbedCommand.class, PairsCommand.class})
public final class SimilSpark {
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"simil-spark " + BuildVersion.get() + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ")"};
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line in the Spark session spark-submit configured (or the one already active) and returns the exit code. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SimilSpark());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, unused) -> {
            ex.getCommandLine().getErr().println("simil-spark: error: " + oneLine(ex.getMessage()) + "; try '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
            return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable cause = rootCause(ex);
            cmd.getErr().println("simil-spark: error: " + oneLine(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
            if (System.getenv("SIMIL_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            return 1;
        });
        return cli.execute(args);
    }

    /** The session of this application (spark-submit's master and settings), named for the command where it is made here. */
    static SparkSession session(String command) {
        return SparkSession.builder().appName("simil-spark " + command).getOrCreate();
    }

    /** Refuses an output folder that exists already, before any work. */
    static void requireAbsent(String dir, Configuration conf) {
        try {
            Path path = new Path(dir);
            if (path.getFileSystem(conf).exists(path)) throw new IllegalArgumentException(dir + ": exists already; give a new folder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** What failed at the bottom: a task's exception travels wrapped in Spark's, a write's in an unchecked one. */
    private static Throwable rootCause(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause;
    }

    private static String oneLine(String message) {
        return String.join("; ", message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
