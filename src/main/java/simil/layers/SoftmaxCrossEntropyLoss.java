package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Mean softmax cross-entropy of logits [N, V] against int32 class indices [N] (PyTorch's CrossEntropyLoss
 * with label_smoothing), optionally over only the rows an int32 mask marks non-zero (BEiT's masked
 * patches); the mean is over the counted rows.
 */
public final class SoftmaxCrossEntropyLoss {
    private final Backend backend;
    private final float labelSmoothing;
    private final Tensor loss;
    private Tensor dLogits;

    public SoftmaxCrossEntropyLoss(Backend backend, float labelSmoothing) {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("label smoothing " + labelSmoothing + " not in [0, 1]");
        }
        this.backend = backend;
        this.labelSmoothing = labelSmoothing;
        this.loss = backend.zeros(1);
    }

    public SoftmaxCrossEntropyLoss(Backend backend) {
        this(backend, 0f);
    }

    public float labelSmoothing() { return labelSmoothing; }

    /** Every row counts. */
    public Tensor forward(Tensor logits, Tensor targets) {
        return forward(logits, targets, null);
    }

    /**
     * The mean loss as a one-element tensor on the device that the next forward overwrites. Only rows with a
     * non-zero {@code mask} entry count (null: all); a mask with no such row gives 0.
     */
    public Tensor forward(Tensor logits, Tensor targets, Tensor mask) {
        if (logits.rank() != 2) throw new IllegalArgumentException("logits must be [N, V], got " + logits);
        dLogits = Buffers.reuse(backend, dLogits, logits.shape());
        backend.losses().softmaxCrossEntropy(logits, targets, mask, labelSmoothing, dLogits, loss);
        return loss;
    }

    /** d(mean loss)/d(logits) of the last forward (zero on rows that do not count); reused by the next forward. */
    public Tensor backward() {
        if (dLogits == null) throw new IllegalStateException("backward before forward");
        return dLogits;
    }
}
