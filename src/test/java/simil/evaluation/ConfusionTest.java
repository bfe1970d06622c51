package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfusionTest {
    private static final Pairs TINY = Pairs.of(new double[] {0.1, 0.4, 0.35, 0.8, 0.5}, new int[] {0, 0, 1, 1, 0});

    @Test
    void countsAtEachThresholdWithScoreEqualToThresholdCalledSame() {
        ScoreAccumulator scores = TINY.accumulate(0.5f, 0.35f);
        // At 0.5: 0.8 (same) and 0.5 (different) are called same.
        assertEquals(new Confusion(1, 1, 2, 1), scores.confusionAt(0.5f));
        // At 0.35: 0.35 and 0.8 (same), 0.4 and 0.5 (different) are called same.
        assertEquals(new Confusion(2, 2, 1, 0), scores.confusionAt(0.35f));
    }

    @Test
    void metricsForSame() {
        Confusion c = new Confusion(1, 1, 2, 1);
        assertEquals(3 / 5.0, c.accuracy(), 1e-15);
        assertEquals(0.5, c.precision(), 1e-15);
        assertEquals(0.5, c.recall(), 1e-15);
        assertEquals(2 / 3.0, c.specificity(), 1e-15);
        assertEquals((0.5 + 2 / 3.0) / 2, c.balancedAccuracy(), 1e-15);
        assertEquals(0.5, c.f1(), 1e-15);
    }

    @Test
    void unequalPrecisionAndRecallGiveHarmonicMean() {
        Confusion c = new Confusion(6, 2, 10, 6);
        assertEquals(0.75, c.precision(), 1e-15);
        assertEquals(0.5, c.recall(), 1e-15);
        assertEquals(0.6, c.f1(), 1e-15);
        assertEquals((0.5 + 10 / 12.0) / 2, c.balancedAccuracy(), 1e-15);
    }

    @Test
    void neverSayingSameHasZeroPrecisionAndHalfBalancedAccuracy() {
        Confusion c = new Confusion(0, 0, 99, 1);
        assertEquals(0.99, c.accuracy(), 1e-15);
        assertEquals(0.0, c.precision());
        assertEquals(0.0, c.f1());
        assertEquals(0.5, c.balancedAccuracy(), 1e-15);
    }
}
