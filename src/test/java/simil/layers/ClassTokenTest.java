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
class ClassTokenTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("class_token");
        ClassToken cls = new ClassToken(be, "cls_token", 4);
        g.copyInto("cls", cls.token().value());
        g.assertMatches("y", cls.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", cls.backward(g.tensor(be, "dy")));
        g.assertMatches("dcls", cls.token().grad());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ClassToken cls = new ClassToken(be, "cls_token", 5).init(2);
        Tensor x = be.zeros(3, 4, 5);
        be.random().normal(x, 0f, 1f, 3);
        GradCheck.check(cls, x, 1e-2f, 1e-3);
    }
}
