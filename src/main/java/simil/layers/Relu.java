package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/** y = max(x, 0). Backward reads the saved output (y > 0 exactly where x > 0). */
public final class Relu implements Layer {
    private final Backend backend;
    private Tensor y, dx;

    public Relu(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        y = Buffers.reuse(backend, y, x.shape());
        backend.activations().reluForward(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, y.shape());
        backend.activations().reluBackward(y, dy, dx);
        return dx;
    }
}
