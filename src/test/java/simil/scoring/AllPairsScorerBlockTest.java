package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import simil.evaluation.Confusion;
import simil.evaluation.EvalReport;
import simil.evaluation.RankMetrics;
import simil.evaluation.ScoreAccumulator;
import simil.evaluation.ThresholdChoice;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Capability;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * Scoring the blocks of a partition of all pairs one by one, each from its rows' and columns' embeddings alone (what
 * {@code simil-spark pairs} does, one block per task), counts what scoring the whole set at once counts: every bin in
 * int8, and in fp32 up to the last bits of a few logits; and the pairs it finds above a threshold are those counted above it.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class AllPairsScorerBlockTest {
    // Blocks of 256 rows (the alignment) and 45, whose halves come from one 45-row product both ways; 8-row tiles.
    private static final int N = 301, F = 8, THRESHOLD_PERCENT = 37;
    private static final int[] STARTS = {0, AllPairsScorer.BLOCK_ALIGNMENT, N};
    private static final float THRESHOLD = THRESHOLD_PERCENT / 100f;

    @Parameter
    Backend be;

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void inInt8TheBlocksCountEveryBinAsTheWholeSetDoes(boolean symmetric) {
        assumeTrue(be.supports(Capability.INT8_PAIRS), "no int8 pair kernel on " + be.device().description());
        Scored s = scoreBothWays(symmetric, AllPairsScorer.Precision.INT8);
        SameScores.assertSameCounts(s.whole, s.blocks, EvalReport.HALF, THRESHOLD);
        assertArrayEquals(s.wholeCounts.same(), s.blockCounts.same(), "every bin of same-class pairs");
        assertArrayEquals(s.wholeCounts.different(), s.blockCounts.different(), "every bin of different-class pairs");
        assertArrayEquals(s.wholeCounts.confusion(), s.blockCounts.confusion());
    }

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void inFp32TheBlocksCountTheSamePairsWithNearlyTheSameScores(boolean symmetric) {
        Scored s = scoreBothWays(symmetric, AllPairsScorer.Precision.FP32);
        assertEquals(s.whole.positives(), s.blocks.positives());
        assertEquals(s.whole.negatives(), s.blocks.negatives());
        assertEquals(RankMetrics.of(s.whole).auc(), RankMetrics.of(s.blocks).auc(), 1e-6);
        assertEquals(RankMetrics.of(s.whole).ap(), RankMetrics.of(s.blocks).ap(), 1e-6);
    }

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void thePairsAboveAThresholdAreThoseTheCountsPredictSame(boolean symmetric) {
        assumeTrue(be.supports(Capability.INT8_PAIRS), "no int8 pair kernel on " + be.device().description());
        MetricNetwork metric = new MetricNetwork(be, "metric", F, 64, 0f, symmetric, 5);
        Tensor e = embeddings();
        float[] all = be.toArray(e);
        int[] labels = labels();
        AllPairsScorer scorer = new AllPairsScorer(metric, be, AllPairsScorer.Precision.INT8);
        // A threshold among the scores (a random network's all lie on one side of most fixed ones).
        ScoreAccumulator first = new ScoreAccumulator();
        scorer.score(e, labels, first, null);
        float threshold = ThresholdChoice.maximizingBalancedAccuracy(first);
        ScoreAccumulator whole = new ScoreAccumulator(threshold);
        scorer.score(e, labels, whole, null);

        Set<Long> pairs = new HashSet<>();
        long same = 0;
        for (int b = 0; b < STARTS.length - 1; b++) {
            for (int c = 0; c < STARTS.length - 1; c++) {
                long[] sameHere = {0};
                scorer.pairsAbove(rows(all, STARTS[b], STARTS[b + 1]), STARTS[b], rows(all, STARTS[c], STARTS[c + 1]), STARTS[c], N,
                        threshold, (i, j, p) -> {
                            assertTrue(i != j && p >= threshold && p <= 1f, i + ", " + j + ": " + p);
                            assertTrue(pairs.add((long) i * N + j), "(" + i + ", " + j + ") given twice");
                            if (labels[i] == labels[j]) sameHere[0]++;
                        });
                same += sameHere[0];
            }
        }
        Confusion predictedSame = whole.confusionAt(threshold);
        assertEquals(predictedSame.tp() + predictedSame.fp(), pairs.size());
        assertEquals(predictedSame.tp(), same);
        assertTrue(pairs.size() > 1000 && pairs.size() < (long) N * (N - 1) - 1000, "a threshold that splits: " + pairs.size());
    }

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void aBlockOffTheAlignmentIsRefused(boolean symmetric) {
        MetricNetwork metric = new MetricNetwork(be, "metric", F, 64, 0f, symmetric, 5);
        Tensor e = embeddings();
        try (ScoreHistogram histogram = be.pairScoring().histogram(EvalReport.HALF)) {
            assertThrows(IllegalArgumentException.class, () -> new AllPairsScorer(metric, be, AllPairsScorer.Precision.FP32)
                    .scoreBlock(e.slice(8, 40), null, 8, e, null, 0, be.fromIntArray(labels(), N), histogram));
        }
    }

    private record Scored(ScoreAccumulator whole, ScoreHistogram.Counts wholeCounts, ScoreAccumulator blocks,
                          ScoreHistogram.Counts blockCounts) {}

    /** All pairs of one set scored whole ({@link AllPairsScorer#score}, and as one block) and block by block. */
    private Scored scoreBothWays(boolean symmetric, AllPairsScorer.Precision precision) {
        MetricNetwork metric = new MetricNetwork(be, "metric", F, 64, 0f, symmetric, 5);
        Tensor e = embeddings();
        float[] all = be.toArray(e);
        int[] labels = labels();
        Tensor labelIds = be.fromIntArray(labels, N);
        AllPairsScorer scorer = new AllPairsScorer(metric, be, precision);

        ScoreAccumulator whole = new ScoreAccumulator(EvalReport.HALF, THRESHOLD);
        assertEquals((long) N * (N - 1), scorer.score(e, labels, whole, null));
        ScoreHistogram.Counts wholeCounts;
        try (ScoreHistogram histogram = be.pairScoring().histogram(EvalReport.HALF, THRESHOLD)) {
            assertEquals((long) N * (N - 1), scorer.scoreBlock(e, null, 0, e, null, 0, labelIds, histogram));
            wholeCounts = histogram.read();
        }

        long pairs = 0;
        ScoreHistogram.Counts blockCounts;
        try (ScoreHistogram histogram = be.pairScoring().histogram(EvalReport.HALF, THRESHOLD)) {
            for (int b = 0; b < STARTS.length - 1; b++) {
                for (int c = 0; c < STARTS.length - 1; c++) {
                    pairs += scorer.scoreBlock(rows(all, STARTS[b], STARTS[b + 1]), null, STARTS[b],
                            rows(all, STARTS[c], STARTS[c + 1]), null, STARTS[c], labelIds, histogram);
                }
            }
            blockCounts = histogram.read();
        }
        assertEquals((long) N * (N - 1), pairs);
        ScoreAccumulator blocks = new ScoreAccumulator(EvalReport.HALF, THRESHOLD);
        blocks.add(blockCounts);
        return new Scored(whole, wholeCounts, blocks, blockCounts);
    }

    private Tensor embeddings() {
        Tensor e = be.zeros(N, F);
        be.random().normal(e, 0f, 1f, 6);
        return e;
    }

    private static int[] labels() {
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) labels[i] = i % 4;
        return labels;
    }

    private Tensor rows(float[] all, int from, int to) {
        return be.fromArray(Arrays.copyOfRange(all, from * F, to * F), to - from, F);
    }
}
