package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** y = x ⊙ γ over the last dimension: BEiT's learned per-channel residual gains (lambda_1, lambda_2). */
public final class LayerScale implements Layer {
    private final Backend backend;
    private final Parameter gamma;
    private Tensor x, y, dx;

    /** {@code initValue}: every gain's starting value (BEiT uses 0.1). */
    public LayerScale(Backend backend, String name, int dim, float initValue) {
        this.backend = backend;
        this.gamma = new Parameter(backend, name, false, dim);
        Init.constant(gamma.value(), initValue);
    }

    public Parameter gamma() { return gamma; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        this.x = x;
        y = Buffers.reuse(backend, y, x.shape());
        backend.tensors().mulRowVector(x, gamma.value(), y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, x.shape());
        backend.tensors().mulRowVectorBackward(x, gamma.value(), dy, dx, gamma.grad());
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return List.of(gamma); }
}
