package simil.scoring;

import simil.layers.Linear;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * The metric network's first layer split per image: W·[a ; b] + c = (W_a·a + c) + W_b·b. Each half is one matrix
 * product over a set of embeddings, computed once per image however many pairs it takes part in; a pair's
 * first-layer activation is then one elementwise sum ({@link PairTiles}).
 *
 * <p>The product runs over {@link #ROWS} rows at a time, from the set's first row: a matrix product's rounding may
 * depend on its shape (a BLAS chooses its kernel by it), so this way a row's half comes out the same bits in any block
 * of the set that starts at a multiple of {@link #ROWS} and ends at one or at the set's end, as in the whole set.
 */
final class SplitFirstLayer {
    /** Rows per matrix product; blocks that start at multiples of it get their rows' halves exactly. */
    static final int ROWS = 256;

    private SplitFirstLayer() {}

    /** W_a·e + c for every row e of {@code embeddings} [N, F]: [N, hidden], the image's half as the first of a pair. */
    static Tensor firstHalf(MetricNetwork metric, Backend backend, Tensor embeddings) {
        Tensor half = half(metric, backend, embeddings, 0);
        backend.tensors().addRowVector(half, metric.fc1().bias().value());
        return half;
    }

    /** W_b·e for every row e of {@code embeddings} [N, F]: [N, hidden], the image's half as the second of a pair. */
    static Tensor secondHalf(MetricNetwork metric, Backend backend, Tensor embeddings) {
        return half(metric, backend, embeddings, metric.embeddingSize());
    }

    private static Tensor half(MetricNetwork metric, Backend backend, Tensor embeddings, int column) {
        int n = embeddings.dim(0), hidden = metric.hiddenSize(), f = metric.embeddingSize();
        embeddings.requireShape("embeddings", n, f);
        Linear fc1 = metric.fc1();
        Tensor half = backend.zeros(n, hidden);
        // W1 is [hidden, 2F]: columns [0, F) act on the first image of a pair, [F, 2F) on the second.
        for (int r0 = 0; r0 < n; r0 += ROWS) {
            int rows = Math.min(ROWS, n - r0);
            backend.blas().gemm(false, true, rows, hidden, f, 1f, embeddings, r0 * f, f, fc1.weight().value(), column, 2 * f, 0f,
                    half, r0 * hidden, hidden);
        }
        return half;
    }
}
