package simil.tensor;

/** In-place optimizer updates. */
public interface OptimOps {
    /**
     * One Adam step (step counts from 1) with bias correction. With {@code decoupled} the weight decay is
     * AdamW's (param −= lr · wd · param before the update); otherwise it is L2 added to the gradient (Adam).
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                  float weightDecay, boolean decoupled, int step);
}
