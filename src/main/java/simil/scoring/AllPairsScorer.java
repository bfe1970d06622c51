package simil.scoring;

import simil.evaluation.ScoreAccumulator;
import simil.layers.Linear;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Scores every ordered pair (i, j), i ≠ j, of a set of embedded images without materializing a pair.
 * The metric network's first layer is split, W·[a ; b] + c = (W_a·a + c) + W_b·b, and each half is
 * computed once per image; a tile of R×C pairs then costs one elementwise pass for the first layer
 * and one matrix product for the second. Scores go straight into a {@link ScoreAccumulator}.
 */
public final class AllPairsScorer {
    /** Pairs per tile: rows × columns; 8 × 1024 keeps the hidden activations (2 × 32 MiB) in memory bounds. */
    private static final int TILE_ROWS = 8, TILE_COLS = 1024;

    private final Backend backend;
    private final MetricNetwork metric;

    public AllPairsScorer(MetricNetwork metric, Backend backend) {
        this.metric = metric;
        this.backend = backend;
    }

    /** Called after each row block: rows done and pairs scored so far. */
    @FunctionalInterface
    public interface Progress {
        void update(int rowsDone, long pairsScored);
    }

    /** Scores all ordered pairs of {@code embeddings} [N, F] with class {@code labels}; returns the pair count. */
    public long score(Tensor embeddings, int[] labels, ScoreAccumulator scores, Progress progress) {
        int n = embeddings.dim(0), hidden = metric.hiddenSize(), f = metric.embeddingSize();
        Linear fc1 = metric.fc1(), fc2 = metric.fc2(), fc3 = metric.fc3();
        // W1 is [hidden, 2F]: columns [0, F) act on the first image, [F, 2F) on the second.
        Tensor firstHalf = backend.zeros(n, hidden), secondHalf = backend.zeros(n, hidden);
        backend.blas().gemm(false, true, n, hidden, f, 1f, embeddings, 0, f, fc1.weight().value(), 0, 2 * f, 0f, firstHalf, 0, hidden);
        backend.tensors().addRowVector(firstHalf, fc1.bias().value());
        backend.blas().gemm(false, true, n, hidden, f, 1f, embeddings, 0, f, fc1.weight().value(), f, 2 * f, 0f, secondHalf, 0, hidden);

        int maxPairs = TILE_ROWS * TILE_COLS;
        Tensor h1 = backend.zeros(maxPairs, hidden), h2 = backend.zeros(maxPairs, hidden), logits = backend.zeros(maxPairs, 1);
        float[] probabilities = new float[maxPairs];
        boolean[] same = new boolean[maxPairs];
        long scored = 0;
        for (int r0 = 0; r0 < n; r0 += TILE_ROWS) {
            int r1 = Math.min(n, r0 + TILE_ROWS);
            for (int c0 = 0; c0 < n; c0 += TILE_COLS) {
                int c1 = Math.min(n, c0 + TILE_COLS), pairs = (r1 - r0) * (c1 - c0);
                Tensor a = h1.slice(0, pairs), b = h2.slice(0, pairs), z = logits.slice(0, pairs);
                backend.tensors().pairSumRelu(firstHalf.slice(r0, r1), secondHalf.slice(c0, c1), a);
                backend.blas().linearForward(a, fc2.weight().value(), fc2.bias().value(), b);
                backend.activations().reluForward(b, b);
                backend.blas().linearForward(b, fc3.weight().value(), fc3.bias().value(), z);
                float[] zs = backend.toArray(z);
                int m = 0;
                for (int i = r0; i < r1; i++) {
                    for (int j = c0; j < c1; j++) {
                        if (i == j) continue;
                        probabilities[m] = Sigmoid.of(zs[(i - r0) * (c1 - c0) + (j - c0)]);
                        same[m++] = labels[i] == labels[j];
                    }
                }
                scores.add(probabilities, same, m);
                scored += m;
            }
            if (progress != null) progress.update(r1, scored);
        }
        return scored;
    }
}
