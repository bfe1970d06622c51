package simil.layers;

import simil.tensor.Tensor;

/** [N, C, H, W] → [N, C·H·W] (any rank → [N, rest]); a view, so no copy either way. */
public final class Flatten implements Layer {
    private int[] inputShape;

    @Override
    public Tensor forward(Tensor x, boolean training) {
        inputShape = x.shape();
        return x.reshape(x.dim(0), x.rowSize());
    }

    @Override
    public Tensor backward(Tensor dy) {
        return dy.reshape(inputShape);
    }
}
