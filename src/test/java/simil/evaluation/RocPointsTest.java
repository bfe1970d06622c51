package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** TPR at a fixed FPR and the equal error rate, against a brute-force sweep of the exact scores. */
class RocPointsTest {
    /** TPR and FPR of "score >= t" for every distinct score t, from the highest. */
    private static double[][] exactRoc(Pairs pairs) {
        float[] thresholds = pairs.scores().clone();
        Arrays.sort(thresholds);
        long positives = 0, negatives = 0;
        for (boolean s : pairs.same()) {
            if (s) positives++;
            else negatives++;
        }
        double[][] points = new double[thresholds.length][];
        int n = 0;
        for (int i = thresholds.length - 1; i >= 0; i--) {
            if (i < thresholds.length - 1 && thresholds[i] == thresholds[i + 1]) continue;
            long tp = 0, fp = 0;
            for (int k = 0; k < pairs.scores().length; k++) {
                if (pairs.scores()[k] >= thresholds[i]) {
                    if (pairs.same()[k]) tp++;
                    else fp++;
                }
            }
            points[n++] = new double[] {(double) fp / negatives, (double) tp / positives};
        }
        return Arrays.copyOf(points, n);
    }

    @Test
    void aHandMadeRoc() {
        // Same at 0.9, 0.7, 0.4; different at 0.8, 0.3, 0.2, 0.1. Thresholds from the top give (FPR, TPR):
        // (0, 1/3) (1/4, 1/3) (1/4, 2/3) (1/4, 1) (2/4, 1) ...; FNR falls to 0 while FPR is 1/4.
        Pairs pairs = Pairs.of(new double[] {0.9, 0.7, 0.4, 0.8, 0.3, 0.2, 0.1}, new int[] {1, 1, 1, 0, 0, 0, 0});
        RocPoints roc = RocPoints.of(pairs.accumulate());
        assertEquals(1 / 3.0, roc.tprAtFpr1e3(), 1e-12);
        assertEquals(1 / 3.0, roc.tprAtFpr1e2(), 1e-12);
        // Between (FPR 1/4, FNR 1/3) and (1/4, 0): FPR - FNR crosses 0 on the way; the EER is FPR there, 1/4.
        assertEquals(0.25, roc.eer(), 1e-12);
        assertEquals(0.4f, roc.eerThreshold(), 1e-6f);
    }

    @Test
    void randomScoresAgreeWithTheExactSweep() {
        Pairs pairs = RankMetricsTest.randomPairs(20_000, 3);
        RocPoints roc = RocPoints.of(pairs.accumulate());
        double[][] exact = exactRoc(pairs);
        double best1e3 = 0, best1e2 = 0;
        for (double[] p : exact) {
            if (p[0] <= 1e-3) best1e3 = Math.max(best1e3, p[1]);
            if (p[0] <= 1e-2) best1e2 = Math.max(best1e2, p[1]);
        }
        // Ties within a histogram bin can merge thresholds: at most a few pairs' worth of TPR.
        assertEquals(best1e3, roc.tprAtFpr1e3(), 1e-3);
        assertEquals(best1e2, roc.tprAtFpr1e2(), 1e-3);
        // The EER lies between FPR and FNR of the exact points around the crossing.
        for (int i = 1; i < exact.length; i++) {
            double before = exact[i - 1][0] - (1 - exact[i - 1][1]), after = exact[i][0] - (1 - exact[i][1]);
            if (before < 0 && after >= 0) {
                double low = Math.min(exact[i - 1][0], 1 - exact[i][1]), high = Math.max(exact[i][0], 1 - exact[i - 1][1]);
                assertTrue(roc.eer() >= low - 1e-3 && roc.eer() <= high + 1e-3, roc + " outside [" + low + ", " + high + "]");
                return;
            }
        }
        throw new AssertionError("the exact ROC never crossed FPR = FNR");
    }
}
