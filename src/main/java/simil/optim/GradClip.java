package simil.optim;

import java.util.List;
import simil.layers.Parameter;
import simil.layers.ParameterRange;
import simil.layers.ParameterSet;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Clipping by the global L2 norm of all gradients, as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient by maxNorm / (norm + 1e-6) when that factor is below 1 (PyTorch's rule);
     * returns the norm before clipping. A non-finite norm (an overflowed or NaN gradient) is returned
     * without touching the gradients: the caller should skip that step.
     */
    public static double clip(List<Parameter> parameters, double maxNorm) {
        List<ParameterRange> ranges = ParameterSet.ranges(parameters);
        double norm = norm(ranges);
        double factor = maxNorm / (norm + 1e-6);
        if (Double.isFinite(norm) && factor < 1) {
            for (ParameterRange r : ranges) r.grads().backend().tensors().scale(r.grads(), (float) factor);
        }
        return norm;
    }

    /**
     * The global L2 norm of the gradients: one sum-of-squares op per run of packed parameters into a one-element
     * tensor on the device, and one read of it.
     */
    public static double norm(List<ParameterRange> ranges) {
        if (ranges.isEmpty()) return 0;
        Backend backend = ranges.get(0).grads().backend();
        try (Tensor sum = backend.zeros(1)) {
            for (ParameterRange r : ranges) backend.tensors().sumOfSquares(r.grads(), sum, true);
            return Math.sqrt(backend.toArray(sum)[0]);
        }
    }
}
