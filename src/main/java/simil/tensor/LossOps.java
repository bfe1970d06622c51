package simil.tensor;

/** Losses that return their mean value and write the gradient of that mean with respect to the logits. */
public interface LossOps {
    /** Mean binary cross-entropy with logits over all elements; dLogits = (σ(z) − t) / n. Numerically stable. */
    float bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits);

    /**
     * Softmax cross-entropy over rows of logits [N, V] with int32 targets [N]. Only rows whose int32
     * {@code mask} entry is non-zero count (mask may be null: all count); the mean is over counted rows.
     * {@code labelSmoothing} mixes the one-hot target with the uniform distribution, as PyTorch does.
     * dLogits is zero on rows that do not count.
     */
    float softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits);
}
