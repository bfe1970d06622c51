package simil.backend.cpu;

import simil.backend.natives.NativeLibraries;

/**
 * Direct stride-1 convolution for few input channels, forward and weight gradient (native/simil_direct_conv.c);
 * {@code isa} is the {@link Isa#code()} of the kernels to run.
 */
final class NativeDirectConv {
    private NativeDirectConv() {}

    static {
        NativeLibraries.load("simil_direct_conv");
    }

    /**
     * y[n] = conv(x[n], weight) + bias for images [from, to) of NCHW x (c×h×w) and y (k×p×q, p = h + 2·pad −
     * kh + 1, likewise q); weight is [k][c][kh][kw]; bias may be null. Returns 0, or -1 when scratch memory
     * could not be allocated.
     */
    static native int forward(int isa, float[] x, int xOffset, float[] weight, int weightOffset, float[] bias, int biasOffset,
                              float[] y, int yOffset, int from, int to, int c, int h, int w, int k, int kh, int kw, int pad);

    /** dWeight = Σ over images [from, to), in order, of each image's weight gradient (overwritten); 0 or -1 as above. */
    static native int backwardWeights(int isa, float[] x, int xOffset, float[] dy, int dyOffset, float[] dWeight, int dWeightOffset,
                                      int from, int to, int c, int h, int w, int k, int kh, int kw, int pad);
}
