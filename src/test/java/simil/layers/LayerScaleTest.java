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
class LayerScaleTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("layer_scale");
        LayerScale scale = new LayerScale(be, "lambda_1", 4, 0.1f);
        g.copyInto("gamma", scale.gamma().value());
        g.assertMatches("y", scale.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", scale.backward(g.tensor(be, "dy")));
        g.assertMatches("dgamma", scale.gamma().grad());
    }

    @Test
    void startsAtTheInitValue() {
        LayerScale scale = new LayerScale(be, "lambda_1", 3, 0.1f);
        Golden.assertClose("gamma", new float[] {0.1f, 0.1f, 0.1f}, be.toArray(scale.gamma().value()), 0);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        LayerScale scale = new LayerScale(be, "lambda_1", 5, 0.1f);
        be.random().normal(scale.gamma().value(), 0f, 1f, 7);
        Tensor x = be.zeros(2, 3, 5);
        be.random().normal(x, 0f, 1f, 8);
        GradCheck.check(scale, x, 1e-2f, 1e-3);
    }
}
