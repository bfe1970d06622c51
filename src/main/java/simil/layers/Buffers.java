package simil.layers;

import java.util.Arrays;
import simil.tensor.Backend;
import simil.tensor.DType;
import simil.tensor.Tensor;

/**
 * Output and gradient buffers that layers keep between steps. A buffer keeps its largest allocation: a smaller
 * shape (a partial last batch) gets a view of it, and only a shape larger than any before allocates, giving the
 * old storage back to the backend. A new buffer holds zeros; a reused one holds whatever it held, so every op
 * that fills one overwrites it.
 */
public final class Buffers {
    private Buffers() {}

    /** {@code current} when it already has {@code shape}, else a view of its storage when that is large enough, else a new zero tensor. */
    public static Tensor reuse(Backend backend, Tensor current, int... shape) {
        Tensor fitted = fitted(current, DType.FLOAT32, shape);
        return fitted != null ? fitted : backend.zeros(shape);
    }

    /** Like {@link #reuse} for int32 tensors. */
    public static Tensor reuseInts(Backend backend, Tensor current, int... shape) {
        Tensor fitted = fitted(current, DType.INT32, shape);
        return fitted != null ? fitted : backend.intZeros(shape);
    }

    /** {@code current} or a view of it in {@code shape}; null (with {@code current} closed) when it is too small. */
    private static Tensor fitted(Tensor current, DType dtype, int[] shape) {
        if (current == null) return null;
        if (current.dtype() != dtype) throw new IllegalArgumentException("a " + dtype + " buffer cannot reuse " + current);
        if (Arrays.equals(current.shape(), shape)) return current;
        long n = 1;
        for (int d : shape) n *= d;
        if (n <= current.capacity()) return current.view(shape);
        current.close();
        return null;
    }
}
