package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A learned tensor and its gradient, under a dotted name ("tower.conv1.weight") that checkpoints use.
 * Gradients accumulate across backward calls until {@link #zeroGrad()}.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean decayed;

    /** {@code decayed}: whether weight decay applies (weights yes; biases, norms, tokens, gains no). */
    public Parameter(Backend backend, String name, boolean decayed, int... shape) {
        this.name = name;
        this.value = backend.zeros(shape);
        this.grad = backend.zeros(shape);
        this.decayed = decayed;
    }

    public String name() { return name; }
    public Tensor value() { return value; }
    public Tensor grad() { return grad; }
    public boolean decayed() { return decayed; }
    public int[] shape() { return value.shape(); }
    public int size() { return value.size(); }

    public void zeroGrad() { grad.backend().tensors().fill(grad, 0f); }

    @Override
    public String toString() { return name + java.util.Arrays.toString(value.shape()); }
}
