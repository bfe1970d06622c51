package simil.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import simil.tensor.Tensor;

/**
 * The emulator's stand-in for cuBLAS's strided-batched sgemm against the definition, element by element:
 * column-major, both transposes, leading dimensions and strides larger than needed, alpha, and beta 0 (C's old
 * contents, NaN here, ignored) or 1.
 */
class EmulatedGemmTest {
    private final EmulatedGpu gpu = new EmulatedGpu();
    private final CudaBackend be = new CudaBackend(gpu, 0);

    @AfterEach
    void close() {
        gpu.close();
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = random.nextFloat() * 2 - 1;
        return v;
    }

    @Test
    void everyTransposeWithOddLeadingDimensionsStridesAndBatches() {
        int m = 5, n = 7, k = 3, batch = 3;
        float alpha = 0.75f;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float beta : new float[] {0, 1}) {
                    int lda = (transA ? k : m) + 3, ldb = (transB ? n : k) + 1, ldc = m + 2;
                    int strideA = lda * (transA ? m : k) + 5, strideB = ldb * (transB ? k : n) + 2, strideC = ldc * n + 3;
                    float[] a = random(strideA * batch, 1), b = random(strideB * batch, 2), c = random(strideC * batch, 3);
                    float[] old = c.clone();
                    if (beta == 0) Arrays.fill(c, Float.NaN);
                    Tensor at = be.fromArray(a, a.length), bt = be.fromArray(b, b.length), ct = be.fromArray(c, c.length);
                    gpu.gemm(transA, transB, m, n, k, alpha, be.floats(at), lda, strideA, be.floats(bt), ldb, strideB, beta,
                             be.floats(ct), ldc, strideC, batch);
                    float[] got = be.toArray(ct);
                    String which = (transA ? "Aᵀ" : "A") + (transB ? "Bᵀ" : "B") + ", beta " + beta;
                    for (int p = 0; p < batch; p++) {
                        for (int i = 0; i < ldc; i++) {
                            for (int j = 0; j < n; j++) {
                                int at_ = p * strideC + i + j * ldc;
                                if (i >= m) {
                                    assertEquals(c[at_], got[at_], which + ": padding of C at " + at_ + " untouched");
                                    continue;
                                }
                                double sum = 0;
                                for (int l = 0; l < k; l++) {
                                    float ail = transA ? a[p * strideA + l + i * lda] : a[p * strideA + i + l * lda];
                                    float blj = transB ? b[p * strideB + j + l * ldb] : b[p * strideB + l + j * ldb];
                                    sum += (double) ail * blj;
                                }
                                double want = alpha * sum + (beta == 0 ? 0 : beta * old[at_]);
                                assertEquals(want, got[at_], 1e-5 * Math.max(1, Math.abs(want)), which + ": C[" + p + "](" + i + "," + j + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void invalidLeadingDimensionsAndOperandsOutsideDeviceMemoryAreRefused() {
        Tensor a = be.zeros(12), b = be.zeros(12), c = be.zeros(128);  // c fills its 512-byte block
        String ld = assertThrows(IllegalArgumentException.class,
                () -> gpu.gemm(false, false, 3, 4, 3, 1, be.floats(a), 2, 0, be.floats(b), 3, 0, 0, be.floats(c), 3, 0, 1)).getMessage();
        assertTrue(ld.startsWith("gemm: invalid value (m 3, n 4, k 3, lda 2"), ld);
        String past = assertThrows(IllegalArgumentException.class,
                () -> gpu.gemm(false, false, 3, 4, 3, 1, be.floats(a), 3, 0, be.floats(b), 3, 0, 0, be.floats(c), 3, 128, 2)).getMessage();
        assertTrue(past.startsWith("gemm C: 560 bytes at "), past);
        gpu.gemm(false, false, 3, 4, 3, 1, be.floats(a), 3, 0, be.floats(b), 3, 0, 0, be.floats(c), 3, 0, 1);
    }
}
