package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/** y = x · Φ(x), the exact (erf) GELU, PyTorch's default. Backward reads the saved input. */
public final class Gelu implements Layer {
    private final Backend backend;
    private Tensor x, y, dx;

    public Gelu(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        this.x = x;
        y = Buffers.reuse(backend, y, x.shape());
        backend.activations().geluForward(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, x.shape());
        backend.activations().geluBackward(x, dy, dx);
        return dx;
    }
}
