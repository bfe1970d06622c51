package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Mean binary cross-entropy on logits (PyTorch's BCEWithLogitsLoss), numerically stable for any logit. */
public final class BceWithLogitsLoss {
    private final Backend backend;
    private final Tensor loss;
    private Tensor dLogits;

    public BceWithLogitsLoss(Backend backend) {
        this.backend = backend;
        this.loss = backend.zeros(1);
    }

    /**
     * The mean loss of {@code logits} against {@code targets} in [0, 1] (same shape), as a one-element tensor on the
     * device that the next forward overwrites; keeps the gradient for {@link #backward()}.
     */
    public Tensor forward(Tensor logits, Tensor targets) {
        if (!logits.sameShape(targets)) throw new IllegalArgumentException("logits " + logits + " vs targets " + targets);
        dLogits = Buffers.reuse(backend, dLogits, logits.shape());
        backend.losses().bceWithLogits(logits, targets, dLogits, loss);
        return loss;
    }

    /** d(mean loss)/d(logits) of the last forward; the buffer is reused by the next forward. */
    public Tensor backward() {
        if (dLogits == null) throw new IllegalStateException("backward before forward");
        return dLogits;
    }
}
