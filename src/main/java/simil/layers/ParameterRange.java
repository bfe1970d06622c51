package simil.layers;

import java.util.List;
import simil.tensor.Tensor;

/**
 * A contiguous run of a {@link ParameterSet}'s parameters and the views of the set's blocks that hold them: what an
 * optimizer updates, zeroes and measures in one op each.
 */
public record ParameterRange(List<Parameter> parameters, Tensor values, Tensor grads, Tensor decayMask) {
    /** Elements in the run. */
    public int size() { return values.size(); }

    /** Zeroes the run's gradients, in one fill. */
    public void zeroGrad() { grads.backend().tensors().fill(grads, 0f); }
}
