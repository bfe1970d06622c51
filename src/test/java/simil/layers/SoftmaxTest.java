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
class SoftmaxTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorchIncludingLargeLogits() {
        Golden g = Golden.load("softmax");
        Softmax softmax = new Softmax(be);
        g.assertMatches("y", softmax.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", softmax.backward(g.tensor(be, "dy")));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = be.zeros(2, 3, 9);
        be.random().normal(x, 0, 1.5f, 22);
        GradCheck.check(new Softmax(be), x, 1e-2f, 1e-3);
    }
}
