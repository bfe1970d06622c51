package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Tensor;

/** The GELU kernels of every ISA against x·Φ(x) and its derivative in double, over the whole range, NaN included. */
@ParameterizedClass
@MethodSource("simil.testing.CpuBackends#everyIsa")
class NativeGeluTest {
    private final CpuBackend be;

    NativeGeluTest(CpuBackend be) {
        this.be = be;
    }

    @Test
    void forwardAndBackwardMatchTheExactGeluInDouble() {
        int n = 40_003; // not a multiple of any vector width
        float[] x = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -9f + 18f * i / (n - 1);
            dy[i] = 1f + (i % 7) * 0.25f;
        }
        Tensor xt = be.fromArray(x, n), dyt = be.fromArray(dy, n), y = be.zeros(n), dx = be.zeros(n);
        be.activations().geluForward(xt, y);
        be.activations().geluBackward(xt, dyt, dx);
        float[] got = be.toArray(y), grad = be.toArray(dx);
        for (int i = 0; i < n; i++) {
            double v = x[i], z = v / Math.sqrt(2), erf = Math.abs(z) >= 6 ? Math.signum(z) : Math.signum(z) * Erf.erfSeries(Math.abs(z));
            double cdf = 0.5 * (1 + erf), pdf = Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
            assertEquals(v * cdf, got[i], 2e-6 * Math.max(1, Math.abs(v)), "gelu(" + v + ")");
            assertEquals(dy[i] * (cdf + v * pdf), grad[i], 2e-6 * dy[i] * Math.max(1, Math.abs(v)), "gelu'(" + v + ")");
        }
    }

    @Test
    void nanStaysNan() {
        Tensor x = be.fromArray(new float[] {Float.NaN, 1f}, 2), y = be.zeros(2), dx = be.zeros(2);
        be.activations().geluForward(x, y);
        be.activations().geluBackward(x, be.fromArray(new float[] {1f, 1f}, 2), dx);
        assertTrue(Float.isNaN(be.toArray(y)[0]) && Float.isNaN(be.toArray(dx)[0]));
        assertEquals(0.8413447, be.toArray(y)[1], 1e-6);
    }
}
