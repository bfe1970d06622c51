package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import simil.evaluation.RankMetrics;
import simil.evaluation.ScoreAccumulator;
import simil.evaluation.ThresholdChoice;
import simil.models.MetricNetwork;
import simil.tensor.Backend;

/** What the tests holding the backend's pair scoring to a host computation compare. */
final class SameScores {
    private SameScores() {}

    /** The same confusion counts at each of {@code thresholds}, pair counts, AUC and AP (and bounds) and chosen threshold, exactly. */
    static void assertSameCounts(ScoreAccumulator expected, ScoreAccumulator actual, float... thresholds) {
        for (float t : thresholds) assertEquals(expected.confusionAt(t), actual.confusionAt(t), "confusion at " + t);
        assertEquals(expected.positives(), actual.positives());
        assertEquals(expected.negatives(), actual.negatives());
        assertEquals(RankMetrics.of(expected), RankMetrics.of(actual), "AUC and AP, and their bounds, exactly");
        assertEquals(ThresholdChoice.maximizingBalancedAccuracy(expected), ThresholdChoice.maximizingBalancedAccuracy(actual));
    }

    /** The logit {@code metric} gives the pair (i, j) of embeddings {@code all} [N, F], concatenated as a batch of one. */
    static float metricLogit(Backend be, MetricNetwork metric, float[] all, int i, int j) {
        int f = metric.embeddingSize();
        return be.toArray(metric.forward(be.fromArray(Arrays.copyOfRange(all, i * f, i * f + f), 1, f),
                be.fromArray(Arrays.copyOfRange(all, j * f, j * f + f), 1, f), false))[0];
    }
}
