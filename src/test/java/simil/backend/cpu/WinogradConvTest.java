package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/** Winograd convolution against a direct convolution in double precision, at awkward sizes and paddings. */
@ParameterizedClass
@MethodSource("simil.testing.CpuBackends#everyIsa")
class WinogradConvTest {
    private final Backend be;

    WinogradConvTest(CpuBackend be) {
        this.be = be;
    }

    /** F(2, 3) comes out as Lavin and Gray's matrices up to signs: Bᵀ and Aᵀ in {−1, 0, 1}, G in {0, ±½, 1}. */
    @Test
    void f2x3MatricesAreLavinsAndGrays() {
        WinogradTransforms f = new WinogradTransforms(2, 3);
        for (double[] row : f.bt) for (double v : row) assertTrue(v == 0 || Math.abs(v) == 1, "Bᵀ entry " + v);
        for (double[] row : f.at) for (double v : row) assertTrue(v == 0 || Math.abs(v) == 1, "Aᵀ entry " + v);
        for (double[] row : f.g) for (double v : row) assertTrue(v == 0 || Math.abs(v) == 0.5 || v == 1, "G entry " + v);
        assertArrayEquals(new double[] {1, 0, 0}, f.g[0]);
        assertArrayEquals(new double[] {0, 0, 1}, f.g[3]);
    }

    /** y = Aᵀ[(G g) ⊙ (Bᵀ d)] is the m-output correlation of d with g, for every tile size in use. */
    @ParameterizedTest
    @CsvSource({"2, 3", "4, 3", "4, 5", "2, 7"})
    void oneDimensionalIdentityHolds(int m, int r) {
        WinogradTransforms f = new WinogradTransforms(m, r);
        Random random = new Random(m * 31 + r);
        double[] d = random.doubles(f.alpha).toArray(), g = random.doubles(r).toArray();
        double[] gg = new double[f.alpha], bd = new double[f.alpha];
        for (int j = 0; j < f.alpha; j++) {
            for (int k = 0; k < r; k++) gg[j] += f.g[j][k] * g[k];
            for (int l = 0; l < f.alpha; l++) bd[j] += f.bt[j][l] * d[l];
        }
        for (int i = 0; i < m; i++) {
            double expected = 0, got = 0;
            for (int k = 0; k < r; k++) expected += d[i + k] * g[k];
            for (int j = 0; j < f.alpha; j++) got += f.at[i][j] * gg[j] * bd[j];
            assertEquals(expected, got, 1e-12, "output " + i);
        }
    }

    /** Forward, data gradient and weight gradient against a direct convolution (see ConvReference.check). */
    @ParameterizedTest
    @CsvSource({
        "3, 5, 7, 7, 9, 3, 1",     // tiles cut by both edges
        "2, 4, 6, 6, 5, 3, 0",     // no padding: output smaller than input
        "2, 3, 4, 5, 8, 3, 2",     // padding beyond 'same': output larger than input
        "2, 4, 6, 11, 6, 5, 2",    // 5×5, 'same'
        "1, 3, 2, 9, 9, 5, 1",
        "40, 16, 8, 12, 12, 3, 1", // many chunks and weight-gradient groups
    })
    void matchesDirectConvolution(int n, int c, int k, int h, int w, int r, int pad) {
        Conv2dShape s = new Conv2dShape(n, c, h, w, k, r, r, 1, pad);
        WinogradConv winograd = new WinogradConv((CpuBackend) be, 4, r);
        assertTrue(winograd.handles(s));
        ConvReference.check(be, s, true, (x, weight, bias, y) -> winograd.forward(s, x, weight, bias, y),
                (dy, weight, dx) -> winograd.backwardData(s, dy, weight, dx),
                (x, dy, dWeight) -> winograd.backwardWeights(s, x, dy, dWeight));
    }

    /** The combined backward pass (dy transformed once for both gradients) gives the separate passes' numbers exactly. */
    @ParameterizedTest
    @CsvSource({"3, 5, 7, 7, 9, 3, 1", "2, 4, 6, 11, 6, 5, 2", "40, 16, 8, 12, 12, 3, 1"})
    void combinedBackwardEqualsTheSeparatePasses(int n, int c, int k, int h, int w, int r, int pad) {
        Conv2dShape s = new Conv2dShape(n, c, h, w, k, r, r, 1, pad);
        WinogradConv winograd = new WinogradConv((CpuBackend) be, 4, r);
        Tensor x = normal(1, n, c, h, w), weight = normal(2, k, c, r, r), dy = normal(3, n, k, s.outHeight(), s.outWidth());
        Tensor dx = be.zeros(x.shape()), dWeight = normal(4, weight.shape()), dxTogether = be.zeros(x.shape());
        Tensor dWeightTogether = be.zeros(weight.shape());
        be.tensors().copy(dWeight, dWeightTogether);
        winograd.backwardData(s, dy, weight, dx);
        winograd.backwardWeights(s, x, dy, dWeight);
        winograd.backward(s, x, dy, weight, dxTogether, dWeightTogether);
        assertArrayEquals(be.toArray(dx), be.toArray(dxTogether));
        assertArrayEquals(be.toArray(dWeight), be.toArray(dWeightTogether));
    }

    private Tensor normal(long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0, 1, seed);
        return t;
    }
}
