package simil.tensor;

import java.util.Arrays;

/**
 * A dense row-major tensor owned by a backend. Layers see only shapes and hand tensors back to backend
 * ops; where the numbers live (a Java array, GPU memory) is the backend's business: only backends make
 * tensors and open their {@link Storage} ({@link AbstractBackend}). A tensor may be a view of another's
 * storage (reshape, a range of the leading dimension) starting at {@link #offset()}. {@link #close()} gives the
 * storage back to the backend, which reuses it for later tensors.
 */
public final class Tensor implements AutoCloseable {
    private final AbstractBackend backend;
    private final DType dtype;
    private final int[] shape;
    private final Storage storage;
    private final int offset;
    private final int size;

    Tensor(AbstractBackend backend, DType dtype, Storage storage, int offset, int... shape) {
        this.backend = backend;
        this.dtype = dtype;
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        this.size = (int) n;
    }

    public Backend backend() { return backend; }
    public DType dtype() { return dtype; }
    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int size() { return size; }
    public int offset() { return offset; }
    /** The backend-specific storage; backends reach it through {@link AbstractBackend#storage}. */
    Storage storage() { return storage; }

    /** Elements the storage holds from this tensor's offset on: how large a {@link #view} may be. */
    public long capacity() { return storage.bytes() / dtype.bytes() - offset; }

    /**
     * The first elements of the storage from this tensor's offset, under {@code newShape}, which may hold fewer or
     * more elements than this tensor (up to {@link #capacity()}): a buffer kept at its largest size serves smaller
     * batches as views ({@code simil.layers.Buffers}).
     */
    public Tensor view(int... newShape) {
        long n = 1;
        for (int d : newShape) n *= d;
        if (n > capacity()) throw new IllegalArgumentException("a view of " + Arrays.toString(newShape) + " needs " + n
                + " elements, the storage holds " + capacity() + " from offset " + offset);
        return new Tensor(backend, dtype, storage, offset, newShape);
    }

    /**
     * Gives the storage back to the backend: this tensor and every tensor sharing its storage (views, reshapes,
     * slices) fail at their next use. Closing again does nothing.
     */
    @Override
    public void close() {
        if (!storage.released()) backend.release(storage);
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }

    /** Product of all dimensions after the first: the row length when a tensor is read as a matrix. */
    public int rowSize() { return shape.length == 0 ? 1 : size / Math.max(1, shape[0]); }

    /** The same elements under another shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("more than one -1 in " + Arrays.toString(newShape));
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) throw badReshape(newShape);
            s[infer] = (int) (size / known);
        } else if (known != size) {
            throw badReshape(newShape);
        }
        return new Tensor(backend, dtype, storage, offset, s);
    }

    /** Rows {@code [from, to)} of the leading dimension, sharing storage. */
    public Tensor slice(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(backend, dtype, storage, offset + from * rowSize(), s);
    }

    public boolean sameShape(Tensor other) { return Arrays.equals(shape, other.shape); }

    /** Fails with a message naming {@code what} unless the shape is exactly {@code expected}. */
    public Tensor requireShape(String what, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(what + ": expected shape " + Arrays.toString(expected)
                    + " but got " + Arrays.toString(shape));
        }
        return this;
    }

    private IllegalArgumentException badReshape(int[] newShape) {
        return new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "(" + dtype + ")";
    }
}
