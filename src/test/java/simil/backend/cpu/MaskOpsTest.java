package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/** Dropout's and drop path's building blocks: keep masks from the counter-based stream, products and row scales. */
@ParameterizedClass
@MethodSource("simil.testing.CpuBackends#everyIsa")
class MaskOpsTest {
    private final Backend be;

    MaskOpsTest(CpuBackend be) {
        this.be = be;
    }

    @Test
    void keepMaskIsThePureFunctionOfSeedAndIndexWithItsRateAndScale() {
        float p = 0.25f;
        int n = 200_000; // large enough for the parallel path
        Tensor mask = be.zeros(n);
        be.random().keepMask(mask, p, 99);
        float[] m = be.toArray(mask);
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            // Sequential recomputation: the same value whichever thread computed element i.
            assertEquals(Rng.uniform(99, i) < p ? 0f : 1f / (1f - p), m[i], "mask element " + i);
            if (m[i] == 0f) zeros++;
        }
        assertEquals(p, zeros / (double) n, 0.005, "fraction dropped");
        Tensor again = be.zeros(n);
        be.random().keepMask(again, p, 99);
        assertArrayEquals(m, be.toArray(again), "the same seed repeats the mask");
        Tensor view = be.zeros(10, 3).slice(4, 7);
        be.random().keepMask(view, p, 99);
        assertArrayEquals(java.util.Arrays.copyOf(m, 9), be.toArray(view), "a view starts at its own index 0");
        assertThrows(IllegalArgumentException.class, () -> be.random().keepMask(mask, 1f, 1));
    }

    @Test
    void multiplyAndScaleRowsAreExactAndMayWriteOverTheirInput() {
        Tensor x = be.zeros(7, 3, 5), other = be.zeros(7, 3, 5), factors = be.zeros(7);
        be.random().normal(x, 0, 1, 3);
        be.random().normal(other, 0, 1, 4);
        be.random().keepMask(factors, 0.5f, 5);
        float[] xs = be.toArray(x), os = be.toArray(other), fs = be.toArray(factors);
        float[] product = new float[xs.length], scaled = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            product[i] = xs[i] * os[i];
            scaled[i] = xs[i] * fs[i / 15];
        }
        Tensor out = be.zeros(x.shape());
        be.tensors().multiply(x, other, out);
        assertArrayEquals(product, be.toArray(out));
        be.tensors().scaleRows(x, factors, out);
        assertArrayEquals(scaled, be.toArray(out));
        be.tensors().scaleRows(x, factors, x);
        assertArrayEquals(scaled, be.toArray(x), "in place");
        be.tensors().multiply(x, other, x);
        for (int i = 0; i < xs.length; i++) scaled[i] *= os[i];
        assertArrayEquals(scaled, be.toArray(x), "in place");
        assertThrows(IllegalArgumentException.class, () -> be.tensors().scaleRows(be.zeros(7, 2), be.zeros(3), be.zeros(7, 2)));
    }
}
