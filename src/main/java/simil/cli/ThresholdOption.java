package simil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import simil.models.files.DecisionThreshold;
import simil.scoring.Scorer;

/** {@code --threshold}: the decision threshold a command decides at, instead of the one its model's evaluation chose. */
public final class ThresholdOption {
    @Option(names = "--threshold", paramLabel = "VALUE|FILE",
            description = "Decide at this probability, or at the threshold of this threshold.json or evaluation folder (default: the model's "
                    + "newest evaluation's by the same --scorer, MODEL/eval-*/threshold.json; else 0.5).")
    String given;

    /**
     * The threshold to decide at for the model in {@code modelDir} scoring by {@code scorer}: the one given (a file must
     * have been chosen for that scorer), else its newest evaluation's by that scorer; checked before any work.
     */
    DecisionThreshold resolve(Path modelDir, Scorer scorer) {
        return given != null ? DecisionThreshold.given(given).requireScorer(scorer.cliName()) : DecisionThreshold.read(modelDir, scorer.cliName());
    }
}
