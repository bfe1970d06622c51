package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import simil.tensor.ScoreBins;

class RankMetricsTest {
    /** scikit-learn's documentation example for roc_auc_score and average_precision_score. */
    private static final Pairs SKLEARN = Pairs.of(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1});

    @Test
    void sklearnExample() {
        RankMetrics metrics = RankMetrics.of(SKLEARN.accumulate());
        assertEquals(0.75, metrics.auc(), 1e-12);
        // 1/2 * 1 (at 0.8) + 1/2 * 2/3 (at 0.35).
        assertEquals(5 / 6.0, metrics.ap(), 1e-12);
    }

    @Test
    void tiesCountHalfInAucAndAsOneThresholdInAp() {
        Pairs tied = Pairs.of(new double[] {0.9, 0.6, 0.6, 0.3, 0.3}, new int[] {1, 0, 1, 0, 1});
        RankMetrics metrics = RankMetrics.of(tied.accumulate());
        // Wins of 0.9, 0.6, 0.3 over {0.6, 0.3}: 2 + (1/2 + 1) + (0 + 1/2) = 4 of 6.
        assertEquals(4 / 6.0, metrics.auc(), 1e-12);
        // 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5.
        assertEquals(34 / 45.0, metrics.ap(), 1e-12);
    }

    @Test
    void histogramAgreesWithExactSortOnRandomScores() {
        Pairs pairs = randomPairs(100_000, 7);
        RankMetrics metrics = RankMetrics.of(pairs.accumulate());
        double exactAuc = ExactRankMetrics.auc(pairs.scores(), pairs.same());
        double exactAp = ExactRankMetrics.averagePrecision(pairs.scores(), pairs.same());
        assertEquals(exactAuc, metrics.auc(), 1e-4);
        assertEquals(exactAp, metrics.ap(), 1e-4);
        assertTrue(Math.abs(exactAuc - metrics.auc()) <= metrics.aucErrorBound() + 1e-12);
        assertTrue(Math.abs(exactAp - metrics.ap()) <= metrics.apErrorBound() + 1e-12);
        assertTrue(metrics.aucErrorBound() < 1e-4 && metrics.apErrorBound() < 1e-4, metrics.method());
    }

    @Test
    void coarseDataStillWithinTheBound() {
        // Scores rounded to 1e-5, so that many pairs share a bin without being equal.
        Pairs pairs = randomPairs(100_000, 11);
        float[] rounded = pairs.scores().clone();
        for (int i = 0; i < rounded.length; i++) {
            rounded[i] = (float) (Math.round(rounded[i] * 1e5) / 1e5 + 1e-7 * (i % 3));
        }
        RankMetrics metrics = RankMetrics.of(new Pairs(rounded, pairs.same()).accumulate());
        assertTrue(Math.abs(ExactRankMetrics.auc(rounded, pairs.same()) - metrics.auc()) <= metrics.aucErrorBound() + 1e-12);
        assertTrue(Math.abs(ExactRankMetrics.averagePrecision(rounded, pairs.same()) - metrics.ap())
                <= metrics.apErrorBound() + 1e-12);
    }

    @Test
    void exactWhenScoresAreBinEdges() {
        Random random = new Random(3);
        int n = 20_000;
        float[] scores = new float[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = random.nextInt(3) == 0;
            // A few hundred distinct edges, in both regions, so that ties are frequent and real.
            int bin = same[i] ? ScoreBins.COUNT - 1 - random.nextInt(300) * 3000 : random.nextInt(300) * 7000;
            scores[i] = ScoreBins.lowerEdge(bin);
        }
        RankMetrics metrics = RankMetrics.of(new Pairs(scores, same).accumulate());
        assertEquals(ExactRankMetrics.auc(scores, same), metrics.auc(), 1e-12);
        assertEquals(ExactRankMetrics.averagePrecision(scores, same), metrics.ap(), 1e-12);
    }

    @Test
    void needsBothClasses() {
        Pairs onlySame = Pairs.of(new double[] {0.2, 0.7}, new int[] {1, 1});
        assertThrows(IllegalStateException.class, () -> RankMetrics.of(onlySame.accumulate()));
    }

    /**
     * About 30% "same": logits N(1, 1.5) for "same", N(-1, 1.5) for "different", and a tenth of the
     * "different" pairs near-certain (logit N(-14, 3)) to fill the low bins.
     */
    static Pairs randomPairs(int n, long seed) {
        Random random = new Random(seed);
        float[] scores = new float[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = random.nextDouble() < 0.3;
            double logit = same[i] ? 1 + 1.5 * random.nextGaussian()
                    : random.nextInt(10) == 0 ? -14 + 3 * random.nextGaussian() : -1 + 1.5 * random.nextGaussian();
            scores[i] = (float) (1 / (1 + Math.exp(-logit)));
        }
        return new Pairs(scores, same);
    }
}
