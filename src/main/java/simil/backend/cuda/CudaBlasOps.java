package simil.backend.cuda;

import simil.tensor.BlasOps;
import simil.tensor.Tensor;

/**
 * Row-major products through cuBLAS's column-major sgemm: a row-major m×n C is a column-major n×m Cᵀ, and
 * Cᵀ = op(B)ᵀ·op(A)ᵀ, so the call swaps A and B (and m and n) and keeps each operand's transpose flag.
 */
final class CudaBlasOps implements BlasOps {
    private final CudaBackend backend;

    CudaBlasOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   Tensor a, int aOffset, int lda, int strideA, Tensor b, int bOffset, int ldb,
                                   int strideB, float beta, Tensor c, int cOffset, int ldc, int strideC, int batch) {
        if (m == 0 || n == 0 || batch == 0) return;
        BlasOps.checkOperand("A", a, aOffset, transA ? k : m, transA ? m : k, lda, strideA, batch);
        BlasOps.checkOperand("B", b, bOffset, transB ? n : k, transB ? k : n, ldb, strideB, batch);
        BlasOps.checkOperand("C", c, cOffset, m, n, ldc, strideC, batch);
        backend.gpu().gemm(transB, transA, n, m, k, alpha,
                backend.floats(b) + 4L * bOffset, ldb, strideB,
                backend.floats(a) + 4L * aOffset, lda, strideA,
                beta, backend.floats(c) + 4L * cOffset, ldc, strideC, batch);
    }
}
