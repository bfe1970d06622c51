package simil.cli;

import java.util.List;

/**
 * Checks of command options made before a command does any work, each failing with one line that names the
 * option, the value given and what the option takes: {@code --vocab 1: must be 2 or more}.
 */
final class OptionChecks {
    private OptionChecks() {}

    static void atLeast(String option, long value, long least) {
        if (value < least) throw new IllegalArgumentException(option + " " + value + ": must be " + least + " or more");
    }

    static void oneOf(String option, String value, List<String> choices) {
        if (!choices.contains(value)) throw new IllegalArgumentException(option + " " + value + ": must be one of " + String.join(", ", choices));
    }
}
