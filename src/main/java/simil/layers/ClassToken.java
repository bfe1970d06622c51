package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** [B, N, D] → [B, N+1, D]: prepends a learned CLS token to every sequence (BEiT's cls_token). */
public final class ClassToken implements Layer {
    private final Backend backend;
    private final Parameter token;
    private Tensor y, dx;
    private int[] inputShape;

    public ClassToken(Backend backend, String name, int dim) {
        this.backend = backend;
        this.token = new Parameter(backend, name, false, dim);
    }

    /** Truncated normal, std 0.02, as BEiT initializes its CLS token. */
    public ClassToken init(long seed) {
        Init.truncatedNormal(token.value(), 0.02f, seed);
        return this;
    }

    public Parameter token() { return token; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        inputShape = x.shape();
        y = Buffers.reuse(backend, y, x.dim(0), x.dim(1) + 1, x.dim(2));
        backend.attention().prependToken(x, token.value(), y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, inputShape);
        backend.attention().prependTokenBackward(dy, dx, token.grad());
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return List.of(token); }
}
