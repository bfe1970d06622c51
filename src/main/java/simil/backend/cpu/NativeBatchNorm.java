package simil.backend.cpu;

import simil.backend.natives.NativeLibraries;

/**
 * Batch-norm passes over channels [c0, c1) of x read as [batch, channels, spatial] (native/simil_batch_norm.c).
 * Per-channel arguments and results are arrays of c1 − c0 values; a mean is passed as hi + lo, two floats
 * whose sum is the double mean. {@code isa} is the {@link Isa#code()} of the kernels to run.
 */
final class NativeBatchNorm {
    private NativeBatchNorm() {}

    static {
        NativeLibraries.load("simil_batch_norm");
    }

    /** Mean and biased variance of each channel. */
    static native void stats(int isa, float[] x, int xOffset, int batch, int channels, int spatial, int c0, int c1,
                             double[] mean, double[] variance);

    /** y = (x − (hi + lo)) · scale + shift. */
    static native void normalize(int isa, float[] x, int xOffset, float[] y, int yOffset, int batch, int channels, int spatial,
                                 int c0, int c1, float[] hi, float[] lo, float[] scale, float[] shift);

    /** Σ dy and Σ dy · x̂ per channel, x̂ = (x − (hi + lo)) · invStd. */
    static native void backwardSums(int isa, float[] x, int xOffset, float[] dy, int dyOffset, int batch, int channels,
                                    int spatial, int c0, int c1, float[] hi, float[] lo, float[] invStd,
                                    double[] sumDy, double[] sumDyXhat);

    /** dx = k · (dy − meanDy − x̂ · meanDyXhat); dx may be dy. */
    static native void backwardDx(int isa, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset, int batch,
                                  int channels, int spatial, int c0, int c1, float[] hi, float[] lo, float[] invStd,
                                  float[] k, float[] meanDy, float[] meanDyXhat);
}
