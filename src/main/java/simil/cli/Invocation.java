package simil.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line that started a command, as a run's provenance records it: {@code simil train matchnet --out runs/x}. */
final class Invocation {
    private Invocation() {}

    static List<String> commandLine(CommandSpec spec) {
        List<String> line = new ArrayList<>(List.of(spec.root().name()));
        line.addAll(spec.root().commandLine().getParseResult().originalArgs());
        return line;
    }
}
