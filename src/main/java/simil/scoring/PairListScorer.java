package simil.scoring;

import simil.data.PairList;
import simil.evaluation.ScoreAccumulator;
import simil.layers.Buffers;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Scores an explicit list of pairs (the balanced evaluation set) from cached embeddings. */
public final class PairListScorer {
    private static final int BATCH = 1024;

    private PairListScorer() {}

    /**
     * @param rowOf store index → row of {@code embeddings}
     */
    public static void score(MetricNetwork metric, Tensor embeddings, int[] rowOf, PairList pairs, ScoreAccumulator scores) {
        Backend be = embeddings.backend();
        int f = metric.embeddingSize();
        Tensor ids1 = null, ids2 = null, a = null, b = null;
        for (int from = 0; from < pairs.size(); from += BATCH) {
            int n = Math.min(BATCH, pairs.size() - from);
            int[] i1 = new int[n], i2 = new int[n];
            boolean[] same = new boolean[n];
            for (int k = 0; k < n; k++) {
                i1[k] = rowOf[pairs.first()[from + k]];
                i2[k] = rowOf[pairs.second()[from + k]];
                same[k] = pairs.same()[from + k];
            }
            ids1 = Buffers.reuseInts(be, ids1, n);
            ids2 = Buffers.reuseInts(be, ids2, n);
            be.writeInts(ids1, i1);
            be.writeInts(ids2, i2);
            a = Buffers.reuse(be, a, n, f);
            b = Buffers.reuse(be, b, n, f);
            be.attention().embeddingForward(embeddings, ids1, a);
            be.attention().embeddingForward(embeddings, ids2, b);
            float[] z = be.toArray(metric.forward(a, b, false));
            float[] p = new float[n];
            for (int k = 0; k < n; k++) p[k] = Sigmoid.of(z[k]);
            scores.add(p, same, n);
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
