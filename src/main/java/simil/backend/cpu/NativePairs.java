package simil.backend.cpu;

/**
 * The fused int8 metric-network kernel (native/simil_pairs.c). The library loads on any x86-64;
 * {@link #SUPPORTED} says whether this CPU has the AVX-512 VNNI instructions its kernel needs.
 */
final class NativePairs {
    private NativePairs() {}


    /** Pairs the kernel quantizes at once (PAIR_BLOCK in simil_pairs.c): split work on multiples of it. */
    static final int PAIR_BLOCK = 96;

    /** Output columns per kernel panel: the hidden width must be a multiple of it. */
    static final int PANEL = 64;

    static final boolean SUPPORTED;

    static {
        NativeLibraries.load("simil_pairs");
        SUPPORTED = supported();
    }

    private static native boolean supported();

    /**
     * Logits of the pairs [from, to) of a tile whose pair t is (p row t / cols, q row t % cols), rows of
     * width h, into out[outOffset + t - from]; false when the kernel could not allocate its buffers.
     */
    static native boolean scoreRange(float[] p, int pOffset, float[] q, int qOffset, int cols, int h, int from, int to,
                                     int[] packed, int packedOffset, float[] rowScales, int rowScalesOffset,
                                     float[] b2, int b2Offset, float[] w3, int w3Offset, float b3,
                                     float[] out, int outOffset);
}
