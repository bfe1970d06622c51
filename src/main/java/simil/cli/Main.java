package simil.cli;

import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import simil.io.BuildVersion;

/** The {@code simil} command: one subcommand per job (data, train, sweep, eval, compare, ...). */
@Command(name = "simil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Decides whether two images show the same thing (MatchNet, BEiT) on TinyImageNet.",
        subcommands = {
                TrainCommand.class,
                SweepCommand.class,
                EvalCommand.class,
                CompareCommand.class,
                EmbedCommand.class,
                SearchCommand.class,
                DataCommand.class,
                ImportHfCommand.class,
                TokenizerCommand.class,
                PretrainCommand.class,
                ExportCommand.class,
                DeviceCheckCommand.class,
                CompletionCommand.class,
        })
public final class Main {
    /** {@code simil -V}: the version this jar was built as (see BuildVersion), not one written into the code. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"simil " + BuildVersion.get()};
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code. Errors become one line on stderr, never a stack trace:
     * a usage error (unknown option, a value of the wrong type, a missing option) says where its help is, exit 2;
     * a failure while running, exit 1.
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> failure(ex, cmd));
        try {
            return cli.execute(args);
        } catch (ExceptionInInitializerError ex) {
            // A static initializer's failure (an unusable SIMIL_THREADS, say) carries its reason as the cause.
            return failure(ex.getCause() != null ? ex.getCause() : ex, cli);
        }
    }

    private static int failure(Throwable ex, CommandLine cmd) {
        // A write failure deep in a loop travels unchecked; its cause is the one line.
        if (ex instanceof UncheckedIOException unchecked) ex = unchecked.getCause();
        cmd.getErr().println("simil: error: " + oneLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
        if (System.getenv("SIMIL_DEBUG") != null) ex.printStackTrace(cmd.getErr());
        cmd.getErr().flush();
        return 1;
    }

    /** {@code simil: error: Unknown option: '--lr2' (did you mean --lr?); try 'simil train --help'}. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String message = ex.getMessage();
        // An unknown option also leaves required ones unset: name the unknown one, the cause of both.
        List<String> unmatched = cmd.getUnmatchedArguments();
        if (!(ex instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
            message = (unmatched.get(0).startsWith("-") ? "Unknown option: '" : "Unmatched argument: '") + unmatched.get(0) + "'";
        }
        if (!cmd.getSubcommands().isEmpty() && !unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
            message = "unknown command '" + unmatched.get(0) + "' (" + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        } else if (ex instanceof UnmatchedArgumentException unknown && !unknown.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", unknown.getSuggestions()) + "?)";
        }
        cmd.getErr().println("simil: error: " + oneLine(message) + "; try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A message's lines joined, so that an error stays one line. */
    private static String oneLine(String message) {
        return String.join("; ", message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }
}
