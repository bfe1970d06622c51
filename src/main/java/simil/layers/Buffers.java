package simil.layers;

import java.util.Arrays;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Output and gradient buffers that layers keep between steps and reallocate only when a shape changes. */
public final class Buffers {
    private Buffers() {}

    /** {@code current} when it already has {@code shape}, else a new zero tensor of that shape. */
    public static Tensor reuse(Backend backend, Tensor current, int... shape) {
        if (current != null && Arrays.equals(current.shape(), shape)) return current;
        return backend.zeros(shape);
    }

    /** Like {@link #reuse} for int32 tensors. */
    public static Tensor reuseInts(Backend backend, Tensor current, int... shape) {
        if (current != null && Arrays.equals(current.shape(), shape)) return current;
        return backend.intZeros(shape);
    }
}
