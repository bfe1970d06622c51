package simil.tensor;

/**
 * Losses that write their mean value into a one-element tensor, and the gradient of that mean with respect to the
 * logits, plus the counts of right predictions that go with them: all stay on the device until the host reads them
 * (once per step at most).
 */
public interface LossOps {
    /**
     * Mean binary cross-entropy with logits over all elements into {@code loss} [1]; dLogits = (σ(z) − t) / n.
     * Numerically stable.
     */
    void bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits, Tensor loss);

    /**
     * Softmax cross-entropy over rows of logits [N, V] with int32 targets [N], its mean into {@code loss} [1]. Only
     * rows whose int32 {@code mask} entry is non-zero count (mask may be null: all count); the mean is over counted
     * rows. {@code labelSmoothing} ε mixes the one-hot target with the uniform distribution, as PyTorch does
     * (q = (1 − ε)·onehot + ε/V). Targets of rows that do not count are not read (PyTorch's ignore_index);
     * dLogits is zero on those rows, and with no counted row at all the loss is 0. A counted row's target outside
     * [0, V) throws IllegalArgumentException (on a GPU at the next {@link Backend#synchronize()}).
     */
    void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits, Tensor loss);

    /**
     * out[0] = the number of rows r of logits [N, V] (those with a non-zero int32 {@code mask} entry; all when mask is
     * null) whose largest logit, the first of equals, is at the int32 target[r]: a classifier's right answers.
     */
    void countArgmaxMatches(Tensor logits, Tensor targets, Tensor mask, Tensor out);

    /** out[0] = the number of i with (logits[i] > 0) == (targets[i] > 0.5): right same/different calls at probability ½. */
    void countSignMatches(Tensor logits, Tensor targets, Tensor out);
}
