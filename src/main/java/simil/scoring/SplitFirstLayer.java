package simil.scoring;

import simil.layers.Linear;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * The metric network's first layer split per image: W·[a ; b] + c = (W_a·a + c) + W_b·b. Each half is one matrix
 * product over a set of embeddings, computed once per image however many pairs it takes part in; a pair's
 * first-layer activation is then one elementwise sum ({@link PairTiles}).
 */
final class SplitFirstLayer {
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
        backend.blas().gemm(false, true, n, hidden, f, 1f, embeddings, 0, f, fc1.weight().value(), column, 2 * f, 0f, half, 0, hidden);
        return half;
    }
}
