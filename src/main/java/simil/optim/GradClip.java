package simil.optim;

import java.util.List;
import simil.layers.Parameter;

/** Clipping by the global L2 norm of all gradients, as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient by maxNorm / (norm + 1e-6) when that factor is below 1 (PyTorch's rule);
     * returns the norm before clipping. A non-finite norm (an overflowed or NaN gradient) is returned
     * without touching the gradients: the caller should skip that step.
     */
    public static double clip(List<Parameter> parameters, double maxNorm) {
        double norm = norm(parameters);
        double factor = maxNorm / (norm + 1e-6);
        if (Double.isFinite(norm) && factor < 1) {
            for (Parameter p : parameters) p.grad().backend().tensors().scale(p.grad(), (float) factor);
        }
        return norm;
    }

    /** The global L2 norm of the gradients, accumulated in double. */
    public static double norm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter p : parameters) sum += p.grad().backend().tensors().sumOfSquares(p.grad());
        return Math.sqrt(sum);
    }
}
