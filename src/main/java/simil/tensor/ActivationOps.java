package simil.tensor;

/** Pointwise activations, dropout and softmax. Outputs overwrite; y may alias x where noted. */
public interface ActivationOps {
    /** y = max(x, 0); y may alias x. */
    void reluForward(Tensor x, Tensor y);

    /** dx = dy where y > 0, else 0; dx may alias dy. */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    /** y = x · Φ(x), the exact (erf) GELU that PyTorch uses by default. */
    void geluForward(Tensor x, Tensor y);

    void geluBackward(Tensor x, Tensor dy, Tensor dx);

    /**
     * Inverted dropout: mask[i] = 0 with probability p, else 1/(1−p); y = x · mask. The mask is a pure
     * function of (seed, i).
     */
    void dropoutForward(Tensor x, Tensor y, Tensor mask, float p, long seed);

    /** dx = dy · mask. */
    void dropoutBackward(Tensor dy, Tensor mask, Tensor dx);

    /** Softmax over the last dimension. */
    void softmaxForward(Tensor x, Tensor y);

    /** dx = y ⊙ (dy − Σ dy ⊙ y) over the last dimension. */
    void softmaxBackward(Tensor y, Tensor dy, Tensor dx);
}
