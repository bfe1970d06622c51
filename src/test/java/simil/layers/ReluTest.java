package simil.layers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class ReluTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("relu");
        Relu relu = new Relu(be);
        g.assertMatches("y", relu.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", relu.backward(g.tensor(be, "dy")));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        // Inputs at least 0.1 from the kink, larger than the step h.
        float[] v = new float[40];
        for (int i = 0; i < v.length; i++) v[i] = (i % 2 == 0 ? 1 : -1) * (0.1f + 0.05f * i);
        GradCheck.check(new Relu(be), be.fromArray(v, 5, 8), 1e-2f, 1e-3);
    }
}
