package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class DropPathTest {
    private final Backend be;

    DropPathTest(Backend be) {
        this.be = be;
    }

    /** Sample b of draw k keeps its row exactly when Rng.uniform(Rng.derive(seed, k), b) ≥ p, scaled by 1/(1−p). */
    @Test
    void drawsEachSamplesFactorFromTheSeededStream() {
        int batch = 64, row = 10;
        float p = 0.3f;
        Tensor x = be.zeros(batch, 2, 5);
        be.random().normal(x, 0, 1, 8);
        float[] xs = be.toArray(x);
        DropPath drop = new DropPath(be, p, 11);
        for (long draw = 0; draw < 3; draw++) {
            float[] y = be.toArray(drop.forward(x, true));
            int kept = 0;
            for (int b = 0; b < batch; b++) {
                float factor = Rng.uniform(Rng.derive(11, draw), b) < p ? 0f : 1f / (1f - p);
                if (factor != 0f) kept++;
                for (int i = b * row; i < (b + 1) * row; i++) assertEquals(xs[i] * factor, y[i], "draw " + draw + ", sample " + b);
            }
            assertTrue(kept > 0 && kept < batch, kept + " of " + batch + " kept");
        }
        assertEquals(3, drop.counter());
        DropPath resumed = new DropPath(be, p, 11);
        resumed.setCounter(1);
        drop.setCounter(1);
        assertArrayEquals(be.toArray(drop.forward(x, true)), be.toArray(resumed.forward(x, true)), "a restored counter replays");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = be.zeros(12, 3, 4);
        be.random().normal(x, 0, 1, 9);
        DropPath drop = new DropPath(be, 0.5f, 13);
        GradCheck.check(() -> {
            drop.setCounter(0);
            return drop.forward(x, true);
        }, drop::backward, x, drop.parameters(), 1e-2f, 1e-3);
    }
}
