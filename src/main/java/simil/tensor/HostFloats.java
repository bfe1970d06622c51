package simil.tensor;

/** Float32 elements in a Java array: the CPU backend's storage. */
public final class HostFloats implements Storage {
    private float[] array;

    public HostFloats(float[] array) {
        this.array = array;
    }

    /** The array; an IllegalStateException once released. */
    public float[] array() {
        if (array == null) throw new IllegalStateException("a float32 tensor used after close()");
        return array;
    }

    /** Hands the array back for reuse and leaves this storage released; null when it already was. */
    public float[] release() {
        float[] a = array;
        array = null;
        return a;
    }

    @Override public long bytes() { return array == null ? 0 : 4L * array.length; }
    @Override public boolean released() { return array == null; }
}
