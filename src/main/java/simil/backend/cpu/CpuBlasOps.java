package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;

import simil.tensor.BlasOps;
import simil.tensor.Tensor;

/**
 * sgemm through OpenBLAS on the tensors' own arrays (no copies; see {@link NativeBlas}). A product called
 * from inside a {@link Parallel} region runs on its caller's thread alone; elsewhere OpenBLAS uses all threads.
 */
final class CpuBlasOps implements BlasOps {
    @Override
    public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   Tensor a, int aOffset, int lda, int strideA, Tensor b, int bOffset, int ldb,
                                   int strideB, float beta, Tensor c, int cOffset, int ldc, int strideC, int batch) {
        if (m == 0 || n == 0 || batch == 0) return;
        BlasOps.checkOperand("A", a, aOffset, transA ? k : m, transA ? m : k, lda, strideA, batch);
        BlasOps.checkOperand("B", b, bOffset, transB ? n : k, transB ? k : n, ldb, strideB, batch);
        BlasOps.checkOperand("C", c, cOffset, m, n, ldc, strideC, batch);
        NativeBlas.sgemmStridedBatched(transA, transB, m, n, k, alpha,
                data(a), a.offset() + aOffset, lda, strideA, data(b), b.offset() + bOffset, ldb, strideB,
                beta, data(c), c.offset() + cOffset, ldc, strideC, batch, Parallel.insideParallelRegion());
    }
}
