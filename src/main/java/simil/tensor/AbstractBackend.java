package simil.tensor;

/**
 * What every backend is built on, and the only code that makes tensors or sees their {@link Storage}: a backend
 * allocates storage (from its own caching allocator), wraps it in tensors with {@link #tensor}, opens a tensor's
 * storage with {@link #storage} inside its ops, and takes storage back in {@link #release} when a tensor is
 * closed. Layers, models and the rest see only {@link Backend} and shapes.
 */
public abstract class AbstractBackend implements Backend {
    /** A tensor of {@code shape} over {@code storage}, starting at element {@code offset}. */
    protected final Tensor tensor(Storage storage, DType dtype, int offset, int... shape) {
        return new Tensor(this, dtype, storage, offset, shape);
    }

    /** The storage behind {@code t} (shared by its views). */
    protected static Storage storage(Tensor t) {
        return t.storage();
    }

    /**
     * Takes {@code storage} back (a tensor over it was closed); it must not be used again. Called once per storage:
     * {@link Tensor#close()} skips storage already released.
     */
    protected abstract void release(Storage storage);
}
