package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import simil.data.PairList;
import simil.evaluation.RankMetrics;
import simil.evaluation.ScoreAccumulator;
import simil.models.ClassifierHead;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.PosteriorScore;
import simil.tensor.Tensor;
import simil.testing.Golden;

/**
 * Pair scores through class posteriors against a direct host computation: q = Σ_c p_a(c)·p_b(c) of every ordered pair,
 * scored and counted on the host. The posteriors are random multiples of 1/16, so every product and sum is exact in
 * float, the tiles' matrix products included, and the histograms must agree exactly.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class AllPairsScorerPosteriorTest {
    private static final float[] THRESHOLDS = {0.5f, 0.125f};

    @Parameter
    Backend be;

    /** [n, k] posteriors: 16 sixteenths spread at random over the classes. */
    private static float[] dyadicPosteriors(Random rnd, int n, int k) {
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int unit = 0; unit < 16; unit++) p[i * k + (rnd.nextInt(3) == 0 ? i % k : rnd.nextInt(k))] += 1f / 16;
        }
        return p;
    }

    private static float q(float[] p, int k, int i, int j) {
        float sum = 0;
        for (int c = 0; c < k; c++) sum += p[i * k + c] * p[j * k + c];
        return sum;
    }

    @Test
    void posteriorAllPairsEqualTheHostOverSeveralTilesOfColumns() {
        Random rnd = new Random(21);
        int n = 1100, k = 6; // more images than a tile has columns
        float[] p = dyadicPosteriors(rnd, n, k);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % k;
        ScoreAccumulator host = new ScoreAccumulator(THRESHOLDS);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) host.add(PosteriorScore.of(q(p, k, i, j)), labels[i] == labels[j]);
            }
        }
        ScoreAccumulator tiles = new ScoreAccumulator(THRESHOLDS);
        // No metric network is needed, nor any embedding.
        long scored = new AllPairsScorer(null, Scorer.POSTERIOR, be, AllPairsScorer.Precision.INT8)
                .score(null, be.fromArray(p, n, k), labels, tiles, null);
        assertEquals((long) n * (n - 1), scored);
        SameScores.assertSameCounts(host, tiles, THRESHOLDS);
    }

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void bothMixesTheMetricNetworksScoreWithQForEveryOrderedPair(boolean symmetric) {
        Random rnd = new Random(22);
        int n = 13, f = 6, k = 4;
        MetricNetwork metric = new MetricNetwork(be, "metric", f, 16, 0.3f, symmetric, 11);
        Tensor e = be.zeros(n, f);
        be.random().normal(e, 0f, 1f, 12);
        float[] p = dyadicPosteriors(rnd, n, k);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        ScoreAccumulator tiles = new ScoreAccumulator(0.5f);
        long scored = new AllPairsScorer(metric, Scorer.BOTH, be, AllPairsScorer.Precision.FP32)
                .score(e, be.fromArray(p, n, k), labels, tiles, null);

        ScoreAccumulator direct = new ScoreAccumulator(0.5f);
        float[] all = be.toArray(e);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                direct.add(Scorer.BOTH.score(SameScores.metricLogit(be, metric, all, i, j), q(p, k, i, j), k), labels[i] == labels[j]);
            }
        }
        assertEquals((long) n * (n - 1), scored);
        assertEquals(direct.confusionAt(0.5f), tiles.confusionAt(0.5f));
        assertEquals(direct.positives(), tiles.positives());
        Golden.assertClose("auc", new float[] {(float) RankMetrics.of(direct).auc()}, new float[] {(float) RankMetrics.of(tiles).auc()}, 1e-6);
    }

    @Test
    void pairListsScoreByQExactlyAsTheHost() {
        Random rnd = new Random(23);
        int n = 50, k = 5, pairs = 1500;
        float[] p = dyadicPosteriors(rnd, n, k);
        int[] store = new int[n];
        for (int r = 0; r < n; r++) store[r] = 2 * r + 1; // store indices, not rows
        int[] first = new int[pairs], second = new int[pairs];
        boolean[] same = new boolean[pairs];
        ScoreAccumulator host = new ScoreAccumulator(THRESHOLDS);
        for (int t = 0; t < pairs; t++) {
            int i = rnd.nextInt(n), j = rnd.nextInt(n);
            first[t] = store[i];
            second[t] = store[j];
            same[t] = rnd.nextBoolean();
            host.add(PosteriorScore.of(q(p, k, i, j)), same[t]);
        }
        ScoreAccumulator listed = new ScoreAccumulator(THRESHOLDS);
        PairListScorer.score(null, Scorer.POSTERIOR, null, be.fromArray(p, n, k), PairListScorer.rowsOf(store, 2 * n + 1),
                new PairList(first, second, same), listed);
        SameScores.assertSameCounts(host, listed, THRESHOLDS);
    }

    @Test
    void aScorerIsGivenWhatItScoresFrom() {
        Tensor p = be.fromArray(dyadicPosteriors(new Random(24), 3, 2), 3, 2);
        int[] labels = {0, 1, 0};
        AllPairsScorer posterior = new AllPairsScorer(null, Scorer.POSTERIOR, be, AllPairsScorer.Precision.FP32);
        assertThrows(IllegalArgumentException.class, () -> posterior.score(null, null, labels, new ScoreAccumulator(), null));
        assertEquals(AllPairsScorer.Precision.FP32, new AllPairsScorer(null, Scorer.POSTERIOR, be, AllPairsScorer.Precision.INT8).effectivePrecision(),
                "no metric network runs, in int8 or otherwise");
        assertEquals(6, posterior.score(null, p, labels, new ScoreAccumulator(), null));
    }

    @Test
    void theHeadsPosteriorsAreTheSoftmaxOfItsLogits() {
        int n = 5, f = 7, k = 4;
        ClassifierHead head = new ClassifierHead(be, f, k, 3);
        Tensor e = be.zeros(n, f);
        be.random().normal(e, 0f, 2f, 4);
        float[] x = be.toArray(e), w = be.toArray(head.linear().weight().value()), b = be.toArray(head.linear().bias().value());
        float[] posteriors = be.toArray(head.posteriors(e));
        for (int i = 0; i < n; i++) {
            double[] logits = new double[k];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < k; c++) {
                logits[c] = b[c];
                for (int d = 0; d < f; d++) logits[c] += (double) x[i * f + d] * w[c * f + d];
                max = Math.max(max, logits[c]);
            }
            for (int c = 0; c < k; c++) sum += Math.exp(logits[c] - max);
            for (int c = 0; c < k; c++) assertEquals(Math.exp(logits[c] - max) / sum, posteriors[i * k + c], 1e-6, "image " + i + " class " + c);
        }
    }
}
