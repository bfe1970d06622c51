package simil.tensor;

/** Single-precision matrix products over row-major tensors (OpenBLAS on the CPU, cuBLAS on the GPU). */
public interface BlasOps {
    /**
     * C = alpha * op(A) * op(B) + beta * C, row-major. op(A) is m×k, op(B) is k×n, C is m×n; offsets are
     * in elements from each tensor's own offset; lda/ldb/ldc are row strides of the stored matrices.
     */
    default void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      Tensor a, int aOffset, int lda, Tensor b, int bOffset, int ldb,
                      float beta, Tensor c, int cOffset, int ldc) {
        gemmStridedBatched(transA, transB, m, n, k, alpha, a, aOffset, lda, 0, b, bOffset, ldb, 0,
                beta, c, cOffset, ldc, 0, 1);
    }

    /** {@link #gemm} over {@code batch} matrices spaced by the given strides (attention's per-head products). */
    void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Tensor a, int aOffset, int lda, int strideA, Tensor b, int bOffset, int ldb, int strideB,
                            float beta, Tensor c, int cOffset, int ldc, int strideC, int batch);

    /** Y[N, out] = X[N, in] · W[out, in]ᵀ (+ bias[out] when not null): PyTorch's Linear layout. */
    default void linearForward(Tensor x, Tensor weight, Tensor bias, Tensor y) {
        int n = x.dim(0), in = x.rowSize(), out = weight.dim(0);
        gemm(false, true, n, out, in, 1f, x, 0, in, weight, 0, in, 0f, y, 0, out);
        if (bias != null) x.backend().tensors().addRowVector(y, bias);
    }

    /** dX = dY · W (overwrites; skipped when dx is null), dW += dYᵀ · X, dBias += Σ rows of dY. */
    default void linearBackward(Tensor x, Tensor weight, Tensor dy, Tensor dx, Tensor dWeight, Tensor dBias) {
        int n = x.dim(0), in = x.rowSize(), out = weight.dim(0);
        if (dx != null) gemm(false, false, n, in, out, 1f, dy, 0, out, weight, 0, in, 0f, dx, 0, in);
        gemm(true, false, out, in, n, 1f, dy, 0, out, x, 0, in, 1f, dWeight, 0, in);
        if (dBias != null) x.backend().tensors().sumRows(dy, dBias, true);
    }

    /**
     * Checks that the operand {@code t}, read as {@code batch} row-major rows×cols matrices from element
     * {@code offset} with leading dimension {@code ld} and {@code stride} between matrices, stays inside its
     * elements: native code and kernels must never read past a tensor.
     */
    static void checkOperand(String name, Tensor t, int offset, int rows, int cols, int ld, int stride, int batch) {
        if (cols > ld) throw new IllegalArgumentException(name + ": leading dimension " + ld + " < " + cols + " columns");
        long last = (long) offset + (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols;
        if (offset < 0 || rows > 0 && cols > 0 && last > t.size()) {
            throw new IndexOutOfBoundsException(name + " reaches past the elements of " + t);
        }
    }
}
