package simil.evaluation;

import java.util.List;

/** One run's (or one phase's) per-epoch metrics as lines of a training plot, with their legend label. */
public record LabelledEpochs(String label, List<EpochMetrics> rows) {
    public LabelledEpochs {
        rows = List.copyOf(rows);
    }
}
