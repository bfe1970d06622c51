package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import simil.evaluation.ScoreAccumulator;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;
import simil.testing.Golden;

/**
 * The fp32 all-pairs path (first layer split per image, tiles, diagonal skipped) must give every ordered
 * pair the score the metric network gives the concatenated pair; for a symmetric network, the mean of both
 * orders (scored once per unordered pair, counted twice).
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class AllPairsScorerFp32Test {
    @Parameter
    Backend be;

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void scoresEveryOrderedPairLikeTheConcatenatedPair(boolean symmetric) {
        int n = 13, f = 6;
        MetricNetwork metric = new MetricNetwork(be, "metric", f, 16, 0.3f, symmetric, 11);
        Tensor e = be.zeros(n, f);
        be.random().normal(e, 0f, 1f, 12);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;

        ScoreAccumulator tiles = new ScoreAccumulator(0.5f);
        long scored = new AllPairsScorer(metric, be, AllPairsScorer.Precision.FP32).score(e, labels, tiles, null);

        ScoreAccumulator direct = new ScoreAccumulator(0.5f);
        float[] all = be.toArray(e);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                direct.add(Sigmoid.of(SameScores.metricLogit(be, metric, all, i, j)), labels[i] == labels[j]);
            }
        }
        assertEquals((long) n * (n - 1), scored);
        assertEquals(direct.confusionAt(0.5f), tiles.confusionAt(0.5f));
        assertEquals(direct.positives(), tiles.positives());
        Golden.assertClose("auc", new float[] {(float) simil.evaluation.RankMetrics.of(direct).auc()},
                new float[] {(float) simil.evaluation.RankMetrics.of(tiles).auc()}, 1e-6);
    }
}
