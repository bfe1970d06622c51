package simil.tokenizer;

import java.util.stream.IntStream;
import simil.layers.Buffers;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Index of the nearest codebook row (squared Euclidean distance) for each row of a matrix:
 * argmin_k ‖e_k‖² − 2·x·e_k, the cross term by sgemm over chunks of rows, the argmin on the host in
 * parallel. Ties go to the lower index. Shared by k-means and the VQ-VAE's quantizer.
 */
final class NearestCode {
    private static final int CHUNK = 512;

    private final Backend backend;
    private Tensor scores;

    NearestCode(Backend backend) {
        this.backend = backend;
    }

    /** codes[i] = nearest row of {@code codebook} [V, C] to row i of {@code x} [n, C]; returns Σ of the squared distances. */
    double assign(Tensor x, Tensor codebook, int[] codes) {
        int n = x.dim(0), dim = x.rowSize(), vocab = codebook.dim(0);
        if (codebook.rowSize() != dim) throw new IllegalArgumentException("rows " + x + " vs codebook " + codebook);
        float[] e = backend.toArray(codebook);
        float[] norms = new float[vocab];
        for (int k = 0; k < vocab; k++) {
            double s = 0;
            for (int i = k * dim; i < (k + 1) * dim; i++) s += (double) e[i] * e[i];
            norms[k] = (float) s;
        }
        float[] rows = backend.toArray(x);
        double total = 0;
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            scores = Buffers.reuse(backend, scores, m, vocab);
            backend.blas().gemm(false, true, m, vocab, dim, -2f, x, from * dim, dim, codebook, 0, dim, 0f, scores, 0, vocab);
            float[] s = backend.toArray(scores);
            int base = from;
            total += IntStream.range(0, m).parallel().mapToDouble(r -> {
                int best = 0;
                float bestScore = Float.POSITIVE_INFINITY;
                for (int k = 0, o = r * vocab; k < vocab; k++, o++) {
                    float d = s[o] + norms[k];
                    if (d < bestScore) {
                        bestScore = d;
                        best = k;
                    }
                }
                codes[base + r] = best;
                double xx = 0;
                for (int i = (base + r) * dim; i < (base + r + 1) * dim; i++) xx += (double) rows[i] * rows[i];
                return Math.max(0, xx + bestScore);
            }).sum();
        }
        return total;
    }
}
