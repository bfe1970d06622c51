package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CurveTest {
    private static final Pairs SKLEARN = Pairs.of(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1});

    @Test
    void rocOfTheSklearnExample() {
        Curve roc = Curve.roc(SKLEARN.accumulate(), 100);
        // Thresholds 0.8, 0.4, 0.35, 0.1 after the origin.
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1}, roc.x(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, roc.y(), 1e-12);
    }

    @Test
    void precisionRecallOfTheSklearnExample() {
        Curve pr = Curve.precisionRecall(SKLEARN.accumulate(), 100);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 1}, pr.x(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 0.5, 2 / 3.0, 0.5}, pr.y(), 1e-12);
    }

    @Test
    void thinningKeepsEndsAndAtMostTheAskedNumberInBetween() {
        Curve roc = Curve.roc(RankMetricsTest.randomPairs(100_000, 9).accumulate(), 500);
        assertTrue(roc.size() <= 502 && roc.size() > 250, "points " + roc.size());
        assertEquals(0, roc.x()[0]);
        assertEquals(0, roc.y()[0]);
        assertEquals(1, roc.x()[roc.size() - 1], 1e-12);
        assertEquals(1, roc.y()[roc.size() - 1], 1e-12);
        for (int i = 1; i < roc.size(); i++) {
            assertTrue(roc.x()[i] >= roc.x()[i - 1] && roc.y()[i] >= roc.y()[i - 1]);
        }
    }
}
