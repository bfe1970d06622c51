package simil.backend.cpu;

import simil.backend.natives.NativeLibraries;

/**
 * The fused int8 metric-network kernel (native/simil_pairs.c), in an AVX-512 VNNI and an AVX2 copy
 * ({@link Isa#int8PairsKernel()} says which one a backend runs, if any).
 */
final class NativePairs {
    private NativePairs() {}

    /** Pairs the kernel quantizes at once (PAIR_BLOCK in simil_pairs.c): split work on multiples of it. */
    static final int PAIR_BLOCK = 96;

    /** Output columns per packed panel of W2: the hidden width must be a multiple of it. */
    static final int PANEL = 64;

    static {
        NativeLibraries.load("simil_pairs");
    }

    /**
     * Logits of the pairs [from, to) of a tile whose pair t is (p row t / cols, q row t % cols), rows of
     * width h, into out[outOffset + t - from], by the kernel copy of {@code isa} ({@link Isa#code()}, AVX-512
     * or AVX2); false when the kernel could not allocate its buffers.
     */
    static native boolean scoreRange(int isa, float[] p, int pOffset, float[] q, int qOffset, int cols, int h, int from,
                                     int to, int[] packed, int packedOffset, float[] rowScales, int rowScalesOffset,
                                     float[] b2, int b2Offset, float[] w3, int w3Offset, float b3,
                                     float[] out, int outOffset);
}
