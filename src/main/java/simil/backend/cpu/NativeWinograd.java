package simil.backend.cpu;

/**
 * The tile transforms of Winograd convolution for one chunk of images (native/simil_winograd.c); see
 * {@link WinogradConv}. {@code geometry} is {images, C, H, W, padding, K, P, Q, tile rows, tile columns, m, α}.
 * Each returns false when it could not allocate its scratch.
 */
final class NativeWinograd {
    private NativeWinograd() {}

    static {
        NativeLibraries.load("simil_winograd");
    }

    /** V[ξ][tile][c] = (Bᵀ d B)_ξ of the chunk's images x[xOffset..] (NCHW), via the channels-last scratch. */
    static native boolean inputTiles(int[] geometry, float[] x, int xOffset, float[] bt, float[] channelsLast,
                                     float[] v, int vOffset);

    /** y[yOffset..] (NCHW) = Aᵀ M A per tile, clipped to the image, plus bias (none when null). */
    static native boolean outputTiles(int[] geometry, float[] m, int mOffset, float[] at, float[] bias, int biasOffset,
                                      float[] channelsLast, float[] y, int yOffset);

    /** dM[ξ][tile][k] = (A dY Aᵀ)_ξ of the chunk's output gradient dy[dyOffset..] (NCHW). */
    static native boolean outputGradTiles(int[] geometry, float[] dy, int dyOffset, float[] at, float[] channelsLast,
                                          float[] dm, int dmOffset);

    /** dx[dxOffset..] (NCHW) = Σ over tiles of B dV Bᵀ on each tile's input window, cut to the image. */
    static native boolean inputGradTiles(int[] geometry, float[] dv, int dvOffset, float[] bt, float[] channelsLast,
                                         float[] dx, int dxOffset);
}
