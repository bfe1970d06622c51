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
class LayerNormTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        check("layernorm");
    }

    @Test
    void matchesPyTorchWithBeitEps() {
        check("layernorm_eps12");
    }

    private void check(String fixture) {
        Golden g = Golden.load(fixture);
        LayerNorm ln = new LayerNorm(be, "ln", 8, g.floatParam("eps"));
        g.copyInto("weight", ln.weight().value());
        g.copyInto("bias", ln.bias().value());
        g.assertMatches("y", ln.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", ln.backward(g.tensor(be, "dy")));
        g.assertMatches("dweight", ln.weight().grad());
        g.assertMatches("dbias", ln.bias().grad());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        LayerNorm ln = new LayerNorm(be, "ln", 12);
        be.random().uniform(ln.weight().value(), 0.5f, 1.5f, 41);
        be.random().uniform(ln.bias().value(), -0.5f, 0.5f, 42);
        Tensor x = be.zeros(2, 5, 12);
        be.random().normal(x, 0.3f, 1.5f, 43);
        GradCheck.check(ln, x, 1e-2f, 2e-3);
    }
}
