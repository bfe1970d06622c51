package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Layer normalization over the last dimension with a learned gain (weight, ones) and shift (bias, zeros). */
public final class LayerNorm implements Layer {
    /** PyTorch's default; BEiT's Hugging Face configs use 1e-12. */
    public static final float DEFAULT_EPS = 1e-5f;

    private final Backend backend;
    private final int dim;
    private final float eps;
    private final Parameter weight, bias;
    private Tensor x, y, dx, mean, invStd;

    public LayerNorm(Backend backend, String name, int dim, float eps) {
        this.backend = backend;
        this.dim = dim;
        this.eps = eps;
        this.weight = new Parameter(backend, name + ".weight", false, dim);
        this.bias = new Parameter(backend, name + ".bias", false, dim);
        Init.constant(weight.value(), 1f);
    }

    public LayerNorm(Backend backend, String name, int dim) {
        this(backend, name, dim, DEFAULT_EPS);
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public float eps() { return eps; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.dim(-1) != dim) throw new IllegalArgumentException("layer norm " + weight.name() + ": input " + x + " is not [..., " + dim + "]");
        this.x = x;
        int rows = x.size() / dim;
        y = Buffers.reuse(backend, y, x.shape());
        mean = Buffers.reuse(backend, mean, rows);
        invStd = Buffers.reuse(backend, invStd, rows);
        backend.norms().layerNormForward(x, weight.value(), bias.value(), eps, y, mean, invStd);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, x.shape());
        backend.norms().layerNormBackward(x, dy, weight.value(), mean, invStd, dx, weight.grad(), bias.grad());
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return List.of(weight, bias); }
}
