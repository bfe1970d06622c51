package simil.tensor;

/**
 * Batch normalization over [N, C, *] (per channel; [N, C] after a linear layer) and layer normalization over
 * the last dimension. Per-channel and per-row vectors have C (or rows) elements; dx may alias dy.
 */
public interface NormOps {
    /**
     * Training-mode batch norm: normalizes with the batch statistics (biased variance), saves mean and
     * 1/std per channel for backward, and updates the running statistics with PyTorch's convention
     * (running = (1 − momentum) · running + momentum · batch, running variance unbiased).
     */
    void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                                  Tensor runningMean, Tensor runningVar, float momentum, float eps);

    /** Evaluation-mode batch norm with the running statistics. */
    void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   float eps, Tensor y);

    /** dx (overwrite), dGamma and dBeta (accumulate) for training-mode batch norm. */
    void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);

    /** y = (x − mean) / sqrt(var + eps) · gamma + beta per row of the last dimension; saves mean and 1/std per row. */
    void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor invStd);

    /** dx (overwrite), dGamma and dBeta (accumulate). */
    void layerNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor mean, Tensor invStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta);

    /**
     * Each row of x [n, D] standardized by its own statistics, without gain or bias: y = (x − mean) / scale with
     * scale = √(var + eps) (biased variance, sums in double), the tokenizer's patch normalization; y may alias x.
     * mean and scale [n] receive each row's two numbers unless null.
     */
    void standardizeRows(Tensor x, float eps, Tensor y, Tensor mean, Tensor scale);
}
