package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Softmax over the last dimension. Backward reads the saved output. */
public final class Softmax implements Layer {
    private final Backend backend;
    private Tensor y, dx;

    public Softmax(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        y = Buffers.reuse(backend, y, x.shape());
        backend.activations().softmaxForward(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, y.shape());
        backend.activations().softmaxBackward(y, dy, dx);
        return dx;
    }
}
