package simil.parity;

import java.util.List;
import simil.tensor.BlasOps;
import simil.tensor.Tensor;

/**
 * Matrix products in every transpose combination, at offsets and with row strides wider than the matrices, at sizes
 * that are and are not multiples of 32; inputs in [-1, 1), so products of depth k are about √(k/9).
 */
final class BlasCases {
    private BlasCases() {}

    /** m, n, k. */
    private static final int[][] GEMMS = {{1, 1, 1}, {31, 33, 17}, {64, 256, 32}, {65, 129, 300}};
    private static final Tolerance PRODUCTS = Tolerance.of(1e-4, 1e-5);

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("blas.gemm", PRODUCTS, (in, out) -> {
                    for (int[] g : GEMMS) {
                        for (int t = 0; t < 4; t++) {
                            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                            int m = g[0], n = g[1], k = g[2];
                            // Stored A is m×k (k×m transposed), B k×n (n×k); every matrix 3 columns wider than it needs.
                            int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 3, ldc = n + 3;
                            int aRows = ta ? k : m, bRows = tb ? n : k;
                            int aOff = 5, bOff = 2, cOff = 7;
                            Tensor a = in.uniform(-1, 1, aOff + aRows * lda), b = in.uniform(-1, 1, bOff + bRows * ldb);
                            Tensor c = in.uniform(-1, 1, cOff + m * ldc);
                            in.backend().blas().gemm(ta, tb, m, n, k, 0.75f, a, aOff, lda, b, bOff, ldb, t == 3 ? 0f : 0.5f, c, cOff, ldc);
                            out.add(name(g, ta, tb), c);
                        }
                    }
                }),
                ParityCase.of("blas.gemmStridedBatched", PRODUCTS, (in, out) -> {
                    // Attention's products: scores q·kᵀ [T, T] of depth Dh, then probs·v [T, Dh] of depth T.
                    int[][] shapes = {{65, 65, 32}, {65, 32, 65}, {33, 17, 64}};
                    int batch = 3;
                    for (int[] g : shapes) {
                        for (int t = 0; t < 4; t++) {
                            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                            int m = g[0], n = g[1], k = g[2];
                            int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
                            int strideA = m * k + 4, strideB = k * n + 1, strideC = m * n + 2;
                            Tensor a = in.uniform(-1, 1, 3 + batch * strideA), b = in.uniform(-1, 1, 1 + batch * strideB);
                            Tensor c = in.uniform(-1, 1, batch * strideC);
                            in.backend().blas().gemmStridedBatched(ta, tb, m, n, k, 1f, a, 3, lda, strideA, b, 1, ldb, strideB,
                                    t == 0 ? 1f : 0f, c, 0, ldc, strideC, batch);
                            out.add(name(g, ta, tb), c);
                        }
                    }
                }),
                ParityCase.of("blas.linearForward", PRODUCTS, (in, out) -> {
                    BlasOps blas = in.backend().blas();
                    Tensor x = in.uniform(-1, 1, 37, 129), w = in.uniform(-1, 1, 64, 129), bias = in.uniform(-1, 1, 64);
                    Tensor y = in.uniform(-1, 1, 37, 64), yNoBias = in.uniform(-1, 1, 37, 64);
                    blas.linearForward(x, w, bias, y);
                    blas.linearForward(x, w, null, yNoBias);
                    out.add("y", y).add("y without bias", yNoBias);
                }),
                ParityCase.of("blas.linearBackward", PRODUCTS, (in, out) -> {
                    BlasOps blas = in.backend().blas();
                    Tensor x = in.uniform(-1, 1, 37, 129), w = in.uniform(-1, 1, 64, 129), dy = in.uniform(-1, 1, 37, 64);
                    Tensor dx = in.uniform(-1, 1, 37, 129), dw = in.uniform(-1, 1, 64, 129), db = in.uniform(-1, 1, 64);
                    blas.linearBackward(x, w, dy, dx, dw, db);
                    Tensor dw2 = in.uniform(-1, 1, 64, 129);
                    blas.linearBackward(x, w, dy, null, dw2, null);
                    out.add("dx", dx).add("dw", dw).add("dBias", db).add("dw without dx, dBias", dw2);
                }));
    }

    private static String name(int[] g, boolean ta, boolean tb) {
        return (ta ? "T" : "N") + (tb ? "T" : "N") + " " + g[0] + "x" + g[1] + "x" + g[2];
    }
}
