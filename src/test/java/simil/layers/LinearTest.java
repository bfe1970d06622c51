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
class LinearTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("linear");
        Linear layer = new Linear(be, "fc", 5, 4, true);
        g.copyInto("weight", layer.weight().value());
        g.copyInto("bias", layer.bias().value());
        g.assertMatches("y", layer.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", layer.backward(g.tensor(be, "dy")));
        g.assertMatches("dweight", layer.weight().grad());
        g.assertMatches("dbias", layer.bias().grad());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Linear layer = new Linear(be, "fc", 7, 3, true).init(3);
        Tensor x = be.zeros(4, 7);
        be.random().normal(x, 0, 1, 9);
        GradCheck.check(layer, x, 1e-2f, 1e-3);
    }

    @Test
    void withoutBiasAndWithoutInputGradient() {
        Linear layer = new Linear(be, "fc", 6, 2, false).init(4).inputNeedsGrad(false);
        Tensor x = be.zeros(3, 6);
        be.random().normal(x, 0, 1, 10);
        GradCheck.check(layer, x, 1e-2f, 1e-3);
    }
}
