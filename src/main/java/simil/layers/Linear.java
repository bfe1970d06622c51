package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** y = x·Wᵀ + b over the last dimension; W is [out, in] as in PyTorch. Inputs of any rank [..., in]. */
public final class Linear implements Layer {
    private final Backend backend;
    private final int in, out;
    private final Parameter weight, bias;
    private boolean inputNeedsGrad = true;
    private Tensor x, y, dx;
    private int[] inputShape;

    public Linear(Backend backend, String name, int in, int out, boolean withBias) {
        this.backend = backend;
        this.in = in;
        this.out = out;
        this.weight = new Parameter(backend, name + ".weight", true, out, in);
        this.bias = withBias ? new Parameter(backend, name + ".bias", false, out) : null;
    }

    /** PyTorch's default initialization. */
    public Linear init(long seed) {
        Init.pytorchDefault(weight.value(), in, seed);
        if (bias != null) Init.pytorchDefault(bias.value(), in, seed + 1);
        return this;
    }

    /** Skip the input gradient (a first layer over data, or frozen features). */
    public Linear inputNeedsGrad(boolean needed) {
        this.inputNeedsGrad = needed;
        return this;
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.dim(-1) != in) throw new IllegalArgumentException("linear " + weight.name() + ": input " + x + " is not [..., " + in + "]");
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        inputShape = x.shape();
        this.x = x.reshape(-1, in);
        y = Buffers.reuse(backend, y, shape);
        backend.blas().linearForward(this.x, weight.value(), bias == null ? null : bias.value(), y.reshape(-1, out));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputNeedsGrad) dx = Buffers.reuse(backend, dx, inputShape);
        backend.blas().linearBackward(x, weight.value(), dy.reshape(-1, out), inputNeedsGrad ? dx.reshape(-1, in) : null,
                weight.grad(), bias == null ? null : bias.grad());
        return inputNeedsGrad ? dx : null;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }
}
