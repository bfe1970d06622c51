package simil.backend.cpu;

import simil.backend.natives.NativeLibraries;

/**
 * The tile transforms of Winograd convolution for one chunk of images (native/simil_winograd.c); see
 * {@link WinogradConv}.
 */
final class NativeWinograd {
    private NativeWinograd() {}

    static {
        NativeLibraries.load("simil_winograd");
    }

    /** V[ξ][tile][c] = (Bᵀ d B)_ξ of the chunk's input images (NCHW); the matrix is Bᵀ. */
    static final int INPUT = 0;
    /** Output images (NCHW) = Aᵀ M A per tile, clipped to the image, plus bias (none when null); the matrix is Aᵀ. */
    static final int OUTPUT = 1;
    /** dM[ξ][tile][k] = (A dY Aᵀ)_ξ of the chunk's output gradient (NCHW); the matrix is Aᵀ. */
    static final int OUTPUT_GRAD = 2;
    /** dx (NCHW) = Σ over tiles of B dV Bᵀ on each tile's input window, cut to the image; the matrix is Bᵀ. */
    static final int INPUT_GRAD = 3;

    /**
     * One transform ({@link #INPUT} … {@link #INPUT_GRAD}), in the kernels of {@code isa} ({@link Isa#code()}), of a chunk from {@code in} to {@code out} through a
     * channels-last scratch of the chunk's images. {@code geometry} is {images, C, H, W, padding, K, P, Q,
     * tile rows, tile columns, m, α}.
     */
    static native void transform(int isa, int kind, int[] geometry, float[] in, int inOffset, float[] matrix,
                                    float[] bias, int biasOffset, float[] channelsLast, float[] out, int outOffset);
}
