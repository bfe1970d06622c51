package simil.scoring;

import simil.data.PairList;
import simil.evaluation.ScoreAccumulator;
import simil.layers.Buffers;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/** Scores an explicit list of pairs (the balanced evaluation set) from cached embeddings, counted on the backend. */
public final class PairListScorer {
    private static final int BATCH = 1024;

    private PairListScorer() {}

    /**
     * @param rowOf store index → row of {@code embeddings}
     */
    public static void score(MetricNetwork metric, Tensor embeddings, int[] rowOf, PairList pairs, ScoreAccumulator scores) {
        Backend be = embeddings.backend();
        int f = metric.embeddingSize();
        Tensor ids1 = null, ids2 = null, same = null, a = null, b = null;
        try (ScoreHistogram histogram = be.pairScoring().histogram(scores.thresholds())) {
            for (int from = 0; from < pairs.size(); from += BATCH) {
                int n = Math.min(BATCH, pairs.size() - from);
                int[] i1 = new int[n], i2 = new int[n], isSame = new int[n];
                for (int k = 0; k < n; k++) {
                    i1[k] = rowOf[pairs.first()[from + k]];
                    i2[k] = rowOf[pairs.second()[from + k]];
                    isSame[k] = pairs.same()[from + k] ? 1 : 0;
                }
                ids1 = Buffers.reuseInts(be, ids1, n);
                ids2 = Buffers.reuseInts(be, ids2, n);
                same = Buffers.reuseInts(be, same, n);
                be.writeInts(ids1, i1);
                be.writeInts(ids2, i2);
                be.writeInts(same, isSame);
                a = Buffers.reuse(be, a, n, f);
                b = Buffers.reuse(be, b, n, f);
                be.attention().embeddingForward(embeddings, ids1, a);
                be.attention().embeddingForward(embeddings, ids2, b);
                be.pairScoring().histogramPairs(metric.forward(a, b, false), same, histogram);
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
