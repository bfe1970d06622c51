package simil.layers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class MeanTokensTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorchLeavingOutTheClassToken() {
        Golden g = Golden.load("mean_tokens");
        MeanTokens mean = new MeanTokens(be);
        g.assertMatches("y", mean.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", mean.backward(g.tensor(be, "dy")));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        MeanTokens mean = new MeanTokens(be);
        Tensor x = be.zeros(3, 6, 4);
        be.random().normal(x, 0f, 1f, 6);
        GradCheck.check(mean, x, 1e-2f, 1e-3);
    }
}
