package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

@ParameterizedClass
@MethodSource("simil.testing.CpuBackends#everyIsa")
class TruncatedNormalTest {
    private final Backend be;

    TruncatedNormalTest(CpuBackend be) {
        this.be = be;
    }

    @Test
    void everyElementIsItsOwnFirstDrawInsideTwoSigmas() {
        int n = 100_000; // large enough for the parallel path
        float mean = 0.5f, std = 0.02f;
        Tensor t = be.zeros(n), plain = be.zeros(n);
        be.random().truncatedNormal(t, mean, std, 42);
        be.random().normal(plain, mean, std, 42);
        float[] v = be.toArray(t), p = be.toArray(plain);
        int redrawn = 0;
        double sum = 0, squares = 0;
        for (int i = 0; i < n; i++) {
            float z = Rng.normal(42, i);
            for (long k = 1; Math.abs(z) > 2f; k++) z = Rng.normal(Rng.derive(42, k), i);
            assertEquals(mean + std * z, v[i], "element " + i);
            assertTrue(Math.abs(v[i] - mean) <= 2 * std * (1 + 1e-6), "element " + i + " = " + v[i]);
            if (v[i] != p[i]) redrawn++;
            sum += v[i] - mean;
            squares += (double) (v[i] - mean) * (v[i] - mean);
        }
        // P(|z| > 2) = 4.55%; the standard deviation of N(0, 1) truncated to ±2 is 0.8796.
        assertEquals(0.0455, redrawn / (double) n, 0.003, "share redrawn");
        assertEquals(0, sum / n / std, 0.01, "mean");
        assertEquals(0.8796, Math.sqrt(squares / n) / std, 0.005, "standard deviation");
        Tensor view = be.zeros(4, 25).slice(2, 4);
        be.random().truncatedNormal(view, mean, std, 42);
        assertEquals(v[7], be.toArray(view)[7], "a view starts at its own index 0");
    }
}
