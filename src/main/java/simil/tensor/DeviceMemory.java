package simil.tensor;

/**
 * A block of an accelerator's memory: its device, base address and size in bytes, as a GPU backend allocates it
 * (cudaMalloc and the like). Host code never dereferences the address; it only hands it to the backend's kernels.
 */
public final class DeviceMemory implements Storage {
    private final int device;
    private final long bytes;
    private long address;
    private boolean released;

    public DeviceMemory(int device, long address, long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
        this.device = device;
        this.address = address;
        this.bytes = bytes;
    }

    /** The device's index (cuda:N). */
    public int device() { return device; }

    /** The base address; an IllegalStateException once released. */
    public long address() {
        if (released) throw new IllegalStateException("device memory used after close()");
        return address;
    }

    /** Marks the block released and returns its address for the backend to free or cache; -1 when it already was. */
    public long release() {
        if (released) return -1;
        released = true;
        long a = address;
        address = 0;
        return a;
    }

    @Override public long bytes() { return released ? 0 : bytes; }
    @Override public boolean released() { return released; }
}
