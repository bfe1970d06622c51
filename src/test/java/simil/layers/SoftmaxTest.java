package simil.layers;

import org.junit.jupiter.api.Test;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.GradCheck;
import simil.testing.Golden;

class SoftmaxTest {
    private final Backend be = CpuBackend.get();

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
