package simil.tensor;

/** Int32 elements in a Java array: the CPU backend's storage for indices and masks. */
public final class HostInts implements Storage {
    private int[] array;

    public HostInts(int[] array) {
        this.array = array;
    }

    /** The array; an IllegalStateException once released. */
    public int[] array() {
        if (array == null) throw new IllegalStateException("an int32 tensor used after close()");
        return array;
    }

    /** Hands the array back for reuse and leaves this storage released; null when it already was. */
    public int[] release() {
        int[] a = array;
        array = null;
        return a;
    }

    @Override public long bytes() { return array == null ? 0 : 4L * array.length; }
    @Override public boolean released() { return array == null; }
}
