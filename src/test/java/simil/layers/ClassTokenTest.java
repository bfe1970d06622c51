package simil.layers;

import org.junit.jupiter.api.Test;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.GradCheck;
import simil.testing.Golden;

class ClassTokenTest {
    private final Backend be = CpuBackend.get();

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
