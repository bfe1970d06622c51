package simil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simil.models.files.DecisionThreshold;

/** {@code --threshold}: the decision threshold a command decides at, instead of the one its model's evaluation chose. */
public final class ThresholdOption {
    @Option(names = "--threshold", paramLabel = "VALUE|FILE",
            description = "Decide at this probability, or at the threshold of this threshold.json or evaluation folder (default: the model's "
                    + "newest evaluation's, MODEL/eval-*/threshold.json; else 0.5).")
    String given;

    /** The threshold to decide at for the model in {@code modelDir}; checked before any work. */
    DecisionThreshold resolve(Path modelDir) {
        return given != null ? DecisionThreshold.given(given) : DecisionThreshold.read(modelDir);
    }
}
