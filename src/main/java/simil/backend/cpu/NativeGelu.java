package simil.backend.cpu;

import simil.backend.natives.NativeLibraries;

/**
 * The exact GELU, forward and backward (native/simil_gelu.c), evaluating erf from {@link Erf}'s table,
 * handed to the library once here; {@code isa} is the {@link Isa#code()} of the kernels to run.
 */
final class NativeGelu {
    private NativeGelu() {}

    static {
        NativeLibraries.load("simil_gelu");
        if (!init(Erf.coefficients())) throw new IllegalStateException("native/simil_gelu.c expects another erf table size");
    }

    private static native boolean init(double[] coefficients);

    /** y = x · Φ(x) over n floats. */
    static native void forward(int isa, float[] x, int xOffset, float[] y, int yOffset, int n);

    /** dx = dy · (Φ(x) + x · φ(x)) over n floats. */
    static native void backward(int isa, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset, int n);
}
