package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bootstrap intervals of the AUC and of the balanced accuracy, against what theory says their width is. */
class BootstrapIntervalsTest {
    @Test
    void theAucIntervalHasTheWidthOfItsStandardError() {
        Pairs pairs = RankMetricsTest.randomPairs(50_000, 5);
        ScoreAccumulator scores = pairs.accumulate(0.5f);
        BootstrapIntervals ci = BootstrapIntervals.of(scores, 0.5f, BootstrapIntervals.RESAMPLES, 1);
        double auc = RankMetrics.of(scores).auc();
        assertTrue(ci.aucLow() < auc && auc < ci.aucHigh(), ci + " around " + auc);
        // Hanley and McNeil's standard error of an AUC from P positives and N negatives.
        double p = scores.positives(), n = scores.negatives(), q1 = auc / (2 - auc), q2 = 2 * auc * auc / (1 + auc);
        double se = Math.sqrt((auc * (1 - auc) + (p - 1) * (q1 - auc * auc) + (n - 1) * (q2 - auc * auc)) / (p * n));
        double width = ci.aucHigh() - ci.aucLow();
        assertEquals(2 * 1.96 * se, width, 0.2 * width, ci.toString());

        double ba = scores.confusionAt(0.5f).balancedAccuracy();
        assertTrue(ci.balancedAccuracyLow() < ba && ba < ci.balancedAccuracyHigh(), ci + " around " + ba);
        assertEquals(ci, BootstrapIntervals.of(scores, 0.5f, BootstrapIntervals.RESAMPLES, 1), "the same seed, the same intervals");
    }

    /**
     * A threshold inside a histogram bin cuts it: the resampled verdicts must be the counted ones, so a separable set
     * whose scores crowd around the threshold still has a balanced accuracy of exactly 1 in every resample.
     */
    @Test
    void verdictsAtAThresholdInsideABinAreTheCountedOnes() {
        float threshold = 0.5f + 1e-7f;
        double[] scores = {0.5f + 2e-7f, 0.5f + 3e-7f, 0.5f + 1.5e-7f, 0.5f, 0.5f + 0.5e-7f, 0.2};
        Pairs pairs = Pairs.of(scores, new int[] {1, 1, 1, 0, 0, 0});
        ScoreAccumulator accumulated = pairs.accumulate(threshold);
        assertEquals(1.0, accumulated.confusionAt(threshold).balancedAccuracy());
        BootstrapIntervals ci = BootstrapIntervals.of(accumulated, threshold, 200, 3);
        assertEquals(1.0, ci.balancedAccuracyLow());
        assertEquals(1.0, ci.balancedAccuracyHigh());
    }
}
