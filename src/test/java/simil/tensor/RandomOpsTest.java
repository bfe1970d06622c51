package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend's random fills against {@link Rng} computed here, one element at a time: uniform and keepMask give
 * its floats bit for bit; normal and truncatedNormal go through log and cos, whose last bit may differ between a
 * GPU's libraries and the JVM's, so they may differ by one float ulp (and nowhere by more).
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class RandomOpsTest {
    @Parameter
    Backend be;

    private static final int N = 300_000;
    private static final long SEED = 0x5EEDL;

    @Test
    void uniformIsRngBitForBit() {
        float low = -0.3f, high = 1.7f;
        Tensor t = be.zeros(N);
        be.random().uniform(t, low, high, SEED);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) expected[i] = low + (high - low) * Rng.uniform(SEED, i);
        assertArrayEquals(expected, be.toArray(t));
    }

    @Test
    void keepMaskIsRngBitForBit() {
        float p = 0.3f, keep = 1f / (1f - p);
        Tensor t = be.zeros(N);
        be.random().keepMask(t, p, SEED);
        float[] expected = new float[N];
        for (int i = 0; i < N; i++) expected[i] = Rng.uniform(SEED, i) < p ? 0f : keep;
        assertArrayEquals(expected, be.toArray(t));
    }

    @Test
    void normalIsRngWithinOneUlp() {
        float mean = 0.25f, std = 1.5f;
        Tensor t = be.zeros(N);
        be.random().normal(t, mean, std, SEED);
        float[] v = be.toArray(t);
        for (int i = 0; i < N; i++) assertWithinOneUlp(mean + std * Rng.normal(SEED, i), v[i], i);
    }

    @Test
    void truncatedNormalIsRngsFirstDrawInsideTwoSigmasWithinOneUlp() {
        float mean = -1f, std = 0.02f;
        Tensor t = be.zeros(N);
        be.random().truncatedNormal(t, mean, std, SEED);
        float[] v = be.toArray(t);
        for (int i = 0; i < N; i++) {
            float z = Rng.normal(SEED, i);
            for (long k = 1; Math.abs(z) > 2f; k++) z = Rng.normal(Rng.derive(SEED, k), i);
            assertWithinOneUlp(mean + std * z, v[i], i);
        }
        Tensor view = be.zeros(4, 25).slice(2, 4);
        be.random().truncatedNormal(view, mean, std, SEED);
        assertEquals(v[7], be.toArray(view)[7], "a view starts at its own index 0");
    }

    private static void assertWithinOneUlp(float expected, float actual, int i) {
        assertTrue(Math.abs(expected - actual) <= Math.ulp(expected), "element " + i + ": " + actual + ", Rng gives " + expected);
    }
}
