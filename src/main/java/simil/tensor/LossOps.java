package simil.tensor;

/** Losses that return their mean value and write the gradient of that mean with respect to the logits. */
public interface LossOps {
    /** Mean binary cross-entropy with logits over all elements; dLogits = (σ(z) − t) / n. Numerically stable. */
    float bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits);

    /**
     * Softmax cross-entropy over rows of logits [N, V] with int32 targets [N]. Only rows whose int32
     * {@code mask} entry is non-zero count (mask may be null: all count); the mean is over counted rows.
     * {@code labelSmoothing} ε mixes the one-hot target with the uniform distribution, as PyTorch does
     * (q = (1 − ε)·onehot + ε/V). Targets of rows that do not count are not read (PyTorch's ignore_index);
     * dLogits is zero on those rows, and with no counted row at all the loss is 0.
     */
    float softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits);
}
