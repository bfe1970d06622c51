package simil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code simil} command: one subcommand per job (data, train, sweep, eval, compare, ...). */
@Command(name = "simil", mixinStandardHelpOptions = true, version = "simil 0.1.0",
        description = "Decides whether two images show the same thing (MatchNet, BEiT) on TinyImageNet.",
        subcommands = {
                TrainCommand.class,
                SweepCommand.class,
                EvalCommand.class,
                CompareCommand.class,
                DataCommand.class,
                ImportHfCommand.class,
                TokenizerCommand.class,
                PretrainCommand.class,
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; errors become one line on stderr, never a stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            cmd.getErr().println("simil: error: " + msg);
            if (System.getenv("SIMIL_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli.execute(args);
    }
}
