package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.ints;

import simil.tensor.CodebookOps;
import simil.tensor.Tensor;

/**
 * Nearest codes by sgemm over chunks of rows (the cross term −2·x·e) and an argmin per row in parallel; counts and
 * k-means sums in one pass in row order, so no result depends on the thread count.
 */
final class CpuCodebookOps implements CodebookOps {
    /** Rows per product: a 512 × 8192 score block is 16 MiB. */
    private static final int CHUNK = 512;

    private final CpuBackend backend;
    /** Each thread's score block, grown on demand and kept between calls. */
    private final ThreadLocal<Tensor[]> scores = ThreadLocal.withInitial(() -> new Tensor[1]);

    CpuCodebookOps(CpuBackend backend) {
        this.backend = backend;
    }

    @Override
    public void nearest(Tensor x, Tensor codebook, Tensor codes, Tensor distances) {
        int n = x.dim(0), dim = x.rowSize(), vocab = codebook.dim(0);
        if (codebook.rowSize() != dim || codes.size() != n || (distances != null && distances.size() != n)) {
            throw new IllegalArgumentException("nearest rows of " + codebook + " to " + x + " into " + codes + ", " + distances);
        }
        float[] e = data(codebook), rows = data(x), dist = distances == null ? null : data(distances);
        int[] out = ints(codes);
        int eo = codebook.offset(), xo = x.offset(), co = codes.offset(), dOff = distances == null ? 0 : distances.offset();
        float[] norms = new float[vocab];
        for (int k = 0; k < vocab; k++) {
            double s = 0;
            for (int i = eo + k * dim; i < eo + (k + 1) * dim; i++) s += (double) e[i] * e[i];
            norms[k] = (float) s;
        }
        Tensor[] held = scores.get();
        if (held[0] == null || held[0].size() < Math.min(CHUNK, n) * vocab) held[0] = backend.zeros(Math.min(CHUNK, n) * vocab);
        Tensor block = held[0];
        float[] s = data(block);
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from), base = from;
            backend.blas().gemm(false, true, m, vocab, dim, -2f, x, from * dim, dim, codebook, 0, dim, 0f, block, 0, vocab);
            Parallel.forRange(m, 8, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int best = 0;
                    float bestScore = Float.POSITIVE_INFINITY;
                    for (int k = 0, o = block.offset() + r * vocab; k < vocab; k++, o++) {
                        float d = s[o] + norms[k];
                        if (d < bestScore) {
                            bestScore = d;
                            best = k;
                        }
                    }
                    out[co + base + r] = best;
                    if (dist != null) {
                        double xx = 0;
                        for (int i = xo + (base + r) * dim; i < xo + (base + r + 1) * dim; i++) xx += (double) rows[i] * rows[i];
                        dist[dOff + base + r] = (float) Math.max(0, xx + bestScore);
                    }
                }
            });
        }
    }

    @Override
    public void countCodes(Tensor codes, Tensor counts) {
        int[] c = ints(codes), k = ints(counts);
        int co = codes.offset(), ko = counts.offset(), vocab = counts.size();
        for (int i = 0; i < codes.size(); i++) k[ko + checked(c[co + i], vocab)]++;
    }

    @Override
    public void kMeansUpdate(Tensor x, Tensor codes, Tensor centroids, Tensor counts) {
        int n = x.dim(0), dim = x.rowSize(), vocab = centroids.dim(0);
        if (centroids.rowSize() != dim || codes.size() != n || counts.size() != vocab) {
            throw new IllegalArgumentException("k-means update of " + centroids + " from " + x + ", " + codes + ", " + counts);
        }
        float[] rows = data(x), c = data(centroids);
        int[] code = ints(codes), count = ints(counts);
        int xo = x.offset(), co = codes.offset(), ko = counts.offset(), eo = centroids.offset();
        double[] sums = new double[vocab * dim];
        java.util.Arrays.fill(count, ko, ko + vocab, 0);
        for (int i = 0; i < n; i++) {
            int k = checked(code[co + i], vocab);
            count[ko + k]++;
            for (int d = 0; d < dim; d++) sums[k * dim + d] += rows[xo + i * dim + d];
        }
        for (int k = 0; k < vocab; k++) {
            if (count[ko + k] == 0) continue;
            for (int d = 0; d < dim; d++) c[eo + k * dim + d] = (float) (sums[k * dim + d] / count[ko + k]);
        }
    }

    private static int checked(int code, int vocab) {
        if (code < 0 || code >= vocab) throw new IndexOutOfBoundsException("code " + code + " outside [0, " + vocab + ")");
        return code;
    }
}
