package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/** 2-D convolution over NCHW input with a square kernel, stride and zero padding; weight [out, in, k, k] as in PyTorch. */
public final class Conv2d implements Layer {
    private final Backend backend;
    private final int in, out, kernel, stride, padding;
    private final Parameter weight, bias;
    private boolean inputNeedsGrad = true;
    private Conv2dShape shape;
    private Tensor x, y, dx;

    public Conv2d(Backend backend, String name, int in, int out, int kernel, int stride, int padding, boolean withBias) {
        this.backend = backend;
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = new Parameter(backend, name + ".weight", true, out, in, kernel, kernel);
        this.bias = withBias ? new Parameter(backend, name + ".bias", false, out) : null;
    }

    /** PyTorch's default initialization (fan-in = in · k · k). */
    public Conv2d init(long seed) {
        int fanIn = in * kernel * kernel;
        Init.pytorchDefault(weight.value(), fanIn, seed);
        if (bias != null) Init.pytorchDefault(bias.value(), fanIn, seed + 1);
        return this;
    }

    /** Skip the input gradient (the first layer over images). */
    public Conv2d inputNeedsGrad(boolean needed) {
        this.inputNeedsGrad = needed;
        return this;
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public int kernel() { return kernel; }
    public int stride() { return stride; }
    public int padding() { return padding; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.rank() != 4 || x.dim(1) != in) throw new IllegalArgumentException("conv " + weight.name() + ": input " + x + " is not [N, " + in + ", H, W]");
        this.x = x;
        shape = new Conv2dShape(x.dim(0), in, x.dim(2), x.dim(3), out, kernel, kernel, stride, padding);
        y = Buffers.reuse(backend, y, shape.batch(), out, shape.outHeight(), shape.outWidth());
        backend.conv().conv2dForward(shape, x, weight.value(), bias == null ? null : bias.value(), y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (inputNeedsGrad) dx = Buffers.reuse(backend, dx, x.shape());
        backend.conv().conv2dBackward(shape, x, dy, weight.value(), inputNeedsGrad ? dx : null, weight.grad(),
                bias == null ? null : bias.grad());
        return inputNeedsGrad ? dx : null;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }
}
