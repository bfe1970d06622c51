package simil.tensor;

/** In-place optimizer updates, one op over a whole block of parameters ({@code simil.layers.ParameterSet}). */
public interface OptimOps {
    /**
     * One Adam step (step counts from 1) with bias correction over every element of {@code param}. Element i is
     * decayed by {@code weightDecay · decayMask[i]} (the mask is 1 on decayed parameters, 0 on the rest). With
     * {@code decoupled} the weight decay is AdamW's (param −= lr · wd · param before the update); otherwise it is
     * L2 added to the gradient (Adam). As torch.optim: param −= lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + eps).
     * {@code grad} and {@code decayMask} are not modified.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor decayMask, float lr, float beta1, float beta2,
                  float eps, float weightDecay, boolean decoupled, int step);
}
