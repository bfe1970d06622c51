package simil.scoring;

import simil.data.PairList;
import simil.evaluation.ScoreAccumulator;
import simil.layers.Buffers;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.PosteriorScore;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * Scores an explicit list of pairs (the balanced evaluation set) from cached embeddings and, for a {@link Scorer} that
 * uses them, class posteriors, counted on the backend.
 */
public final class PairListScorer {
    private static final int BATCH = 1024;

    private PairListScorer() {}

    /**
     * Scores by the metric network.
     *
     * @param rowOf store index → row of {@code embeddings}
     */
    public static void score(MetricNetwork metric, Tensor embeddings, int[] rowOf, PairList pairs, ScoreAccumulator scores) {
        score(metric, Scorer.METRIC, embeddings, null, rowOf, pairs, scores);
    }

    /**
     * Scores by {@code scorer}: from {@code embeddings} [N, F] where it uses the metric network, from {@code posteriors}
     * [N, K] (q of a pair: the sum of its rows' products) where it uses class posteriors; either may be null where unused.
     *
     * @param rowOf store index → row of {@code embeddings} and {@code posteriors}
     */
    public static void score(MetricNetwork metric, Scorer scorer, Tensor embeddings, Tensor posteriors, int[] rowOf, PairList pairs,
                             ScoreAccumulator scores) {
        Backend be = scorer.usesMetric() ? embeddings.backend() : posteriors.backend();
        int f = scorer.usesMetric() ? metric.embeddingSize() : 0, classes = scorer.usesPosterior() ? posteriors.dim(1) : 0;
        float priorShift = scorer == Scorer.BOTH ? PosteriorScore.priorShift(classes) : 0f;
        Tensor ones = scorer.usesPosterior() ? be.zeros(classes, 1) : null;
        if (ones != null) be.tensors().fill(ones, 1f);
        int total = pairs.size();
        int[] isSame = new int[total];
        for (int k = 0; k < total; k++) isSame[k] = pairs.same()[k] ? 1 : 0;
        Tensor a = null, b = null, pa = null, pb = null, q = null;
        // The whole list goes to the device once; each batch gathers its pairs' rows through slices of it.
        try (ScoreHistogram histogram = be.pairScoring().histogram(scores.thresholds()); PairRows rows = PairRows.of(be, pairs, rowOf);
             Tensor sameIds = be.fromIntArray(isSame, total)) {
            for (int from = 0; from < total; from += BATCH) {
                int to = Math.min(total, from + BATCH), n = to - from;
                Tensor ids1 = rows.first().slice(from, to), ids2 = rows.second().slice(from, to), same = sameIds.slice(from, to);
                Tensor logits = null;
                if (scorer.usesMetric()) {
                    a = Buffers.reuse(be, a, n, f);
                    b = Buffers.reuse(be, b, n, f);
                    be.attention().embeddingForward(embeddings, ids1, a);
                    be.attention().embeddingForward(embeddings, ids2, b);
                    logits = metric.forward(a, b, false);
                }
                if (!scorer.usesPosterior()) {
                    be.pairScoring().histogramPairs(logits, same, histogram);
                    continue;
                }
                pa = Buffers.reuse(be, pa, n, classes);
                pb = Buffers.reuse(be, pb, n, classes);
                q = Buffers.reuse(be, q, n);
                be.attention().embeddingForward(posteriors, ids1, pa);
                be.attention().embeddingForward(posteriors, ids2, pb);
                be.tensors().multiply(pa, pb, pa);
                // Row sums of the products, as one matrix-vector product with ones.
                be.blas().gemm(false, false, n, 1, classes, 1f, pa, 0, classes, ones, 0, 1, 0f, q, 0, 1);
                be.pairScoring().histogramPosteriorPairs(q, logits, priorShift, same, histogram);
            }
            scores.add(histogram.read());
        }
    }

    /** Store index → position in {@code indices} (−1 elsewhere). */
    public static int[] rowsOf(int[] indices, int storeSize) {
        int[] row = new int[storeSize];
        java.util.Arrays.fill(row, -1);
        for (int r = 0; r < indices.length; r++) row[indices[r]] = r;
        return row;
    }
}
