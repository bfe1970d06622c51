package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * BEiT's masked image modeling input: patch embeddings [B, N, D] whose masked positions (int32 mask
 * [B, N], nonzero = masked) are replaced by one learned mask embedding. Two inputs, so not a {@link Layer}.
 */
public final class MaskTokens {
    private final Backend backend;
    private final Parameter maskToken;
    private Tensor mask, y, dx;

    public MaskTokens(Backend backend, String name, int dim) {
        this.backend = backend;
        this.maskToken = new Parameter(backend, name, false, dim);
    }

    /** Truncated normal, std 0.02, as BEiT initializes its mask token. */
    public MaskTokens init(long seed) {
        Init.truncatedNormal(maskToken.value(), 0.02f, seed);
        return this;
    }

    public Parameter maskToken() { return maskToken; }

    public Tensor forward(Tensor x, Tensor mask) {
        this.mask = mask;
        y = Buffers.reuse(backend, y, x.shape());
        backend.attention().maskTokensForward(x, mask, maskToken.value(), y);
        return y;
    }

    /** Gradient of the patch embeddings (zero where masked); accumulates the mask token's gradient. */
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, dy.shape());
        backend.attention().maskTokensBackward(dy, mask, dx, maskToken.grad());
        return dx;
    }

    public List<Parameter> parameters() { return List.of(maskToken); }
}
