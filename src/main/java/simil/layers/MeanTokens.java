package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/** [B, T, D] → [B, D]: the mean of the patch tokens (index 1 on, skipping CLS), BEiT's pooled feature. */
public final class MeanTokens implements Layer {
    /** Tokens before this index (the CLS token) are left out of the mean. */
    private static final int FIRST_PATCH = 1;

    private final Backend backend;
    private Tensor y, dx;
    private int[] inputShape;

    public MeanTokens(Backend backend) {
        this.backend = backend;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.rank() != 3 || x.dim(1) <= FIRST_PATCH) throw new IllegalArgumentException("mean tokens: " + x + " is not [B, T > 1, D]");
        inputShape = x.shape();
        y = Buffers.reuse(backend, y, x.dim(0), x.dim(2));
        backend.tensors().meanTokens(x, FIRST_PATCH, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, inputShape);
        backend.tensors().meanTokensBackward(dy, FIRST_PATCH, dx);
        return dx;
    }
}
