package simil.layers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class GeluTest {
    private final Backend be;

    GeluTest(Backend be) {
        this.be = be;
    }

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("gelu");
        Gelu gelu = new Gelu(be);
        g.assertMatches("y", gelu.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", gelu.backward(g.tensor(be, "dy")));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = be.zeros(6, 7);
        be.random().normal(x, 0, 2, 21);
        GradCheck.check(new Gelu(be), x, 1e-2f, 1e-3);
    }
}
