package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A learned tensor and its gradient, under a dotted name ("tower.conv1.weight") that checkpoints use.
 * Gradients accumulate across backward calls until {@link #zeroGrad()}. A new parameter has storage of its own;
 * a model then packs its parameters into one {@link ParameterSet}, after which value and gradient are views of
 * the set's blocks (layers ask for them at every use, so they never hold a stale one).
 */
public final class Parameter {
    private final String name;
    private final boolean decayed;
    private Tensor value;
    private Tensor grad;
    private ParameterSet set;
    private int index;

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

    /** The set this parameter was packed into, or null. */
    ParameterSet set() { return set; }

    /** Its position in {@link #set()}. */
    int index() { return index; }

    /** Moves the parameter into {@code set} at {@code index}: value and gradient become those views, the old storage is closed. */
    void moveInto(ParameterSet set, int index, Tensor value, Tensor grad) {
        Tensor oldValue = this.value, oldGrad = this.grad;
        this.set = set;
        this.index = index;
        this.value = value;
        this.grad = grad;
        oldValue.close();
        oldGrad.close();
    }

    @Override
    public String toString() { return name + java.util.Arrays.toString(value.shape()); }
}
