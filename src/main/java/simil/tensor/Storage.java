package simil.tensor;

/**
 * The memory behind tensors, made and released only by a backend ({@link AbstractBackend}): Java arrays on the
 * host, or a block of device memory. A released storage fails every use, so a tensor used after
 * {@link Tensor#close()} is an error at its next op instead of a read of memory that now belongs to another.
 */
public sealed interface Storage permits HostFloats, HostInts, DeviceMemory {
    /** Bytes it holds (0 once released). */
    long bytes();

    /** Whether it went back to its backend. */
    boolean released();
}
