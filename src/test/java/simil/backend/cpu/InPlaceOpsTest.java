package simil.backend.cpu;

import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;

/** The aliasing the op interfaces allow (y over x, dx over dy) gives the same numbers as separate buffers. */
class InPlaceOpsTest {
    private final Backend be = CpuBackend.get();

    @Test
    void forwardOutputsMayOverwriteTheirInput() {
        inPlace("relu", (x, y) -> be.activations().reluForward(x, y));
        inPlace("gelu", (x, y) -> be.activations().geluForward(x, y));
        inPlace("softmax", (x, y) -> be.activations().softmaxForward(x, y));
    }

    @Test
    void backwardGradientsMayOverwriteDy() {
        Tensor x = random(77, 6, 4, 3, 2), y = be.zeros(6, 4, 3, 2);
        Tensor g = random(78, 4), b = random(79, 4), mean = be.zeros(4), invStd = be.zeros(4);
        be.norms().batchNormForwardTraining(x, g, b, y, mean, invStd, be.zeros(4), be.zeros(4), 0.1f, 1e-5f);
        inPlace("batch norm backward", (dy, dx) -> be.norms().batchNormBackward(x, dy, g, mean, invStd, dx, be.zeros(4), be.zeros(4)));
        Tensor rows = be.zeros(72), rowStd = be.zeros(72), ly = be.zeros(6, 4, 3, 2);
        Tensor lg = random(80, 2), lb = random(81, 2);
        be.norms().layerNormForward(x, lg, lb, 1e-5f, ly, rows, rowStd);
        inPlace("layer norm backward", (dy, dx) -> be.norms().layerNormBackward(x, dy, lg, rows, rowStd, dx, be.zeros(2), be.zeros(2)));
        Tensor sy = be.zeros(x.shape());
        be.activations().softmaxForward(x, sy);
        inPlace("softmax backward", (dy, dx) -> be.activations().softmaxBackward(sy, dy, dx));
        inPlace("gelu backward", (dy, dx) -> be.activations().geluBackward(x, dy, dx));
    }

    /** Runs op(in, out) into a separate buffer and then with out = in, and compares. */
    private void inPlace(String what, BiConsumer<Tensor, Tensor> op) {
        Tensor in = random(82, 6, 4, 3, 2), out = be.zeros(in.shape());
        op.accept(in, out);
        op.accept(in, in);
        Golden.assertClose(what, be.toArray(out), be.toArray(in), 0);
    }

    private Tensor random(long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0, 1, seed);
        return t;
    }
}
