package simil.tensor;

/** Pointwise activations and softmax. Outputs overwrite; y may alias x where noted. */
public interface ActivationOps {
    /** y = max(x, 0); y may alias x. */
    void reluForward(Tensor x, Tensor y);

    /** dx = dy where y > 0, else 0; dx may alias dy. */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    /** y = x · Φ(x), the exact (erf) GELU that PyTorch uses by default; y may alias x. */
    void geluForward(Tensor x, Tensor y);

    /** dx = dy · (Φ(x) + x·φ(x)), from the forward's input x; dx may alias dy. */
    void geluBackward(Tensor x, Tensor dy, Tensor dx);

    /** Softmax over the last dimension (max-subtracted, so any finite logits work); y may alias x. */
    void softmaxForward(Tensor x, Tensor y);

    /** dx = y ⊙ (dy − Σ dy ⊙ y) over the last dimension; dx may alias dy. */
    void softmaxBackward(Tensor y, Tensor dy, Tensor dx);
}
