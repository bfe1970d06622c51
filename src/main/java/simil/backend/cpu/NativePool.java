package simil.backend.cpu;

import simil.backend.natives.NativeLibraries;

/** Max pooling, forward and backward, over a range of NCHW planes (native/simil_pool.c). */
final class NativePool {
    private NativePool() {}

    static {
        NativeLibraries.load("simil_pool");
    }

    /**
     * y planes [from, to) = the max pool of x's (windows cut to the image, NaN wins), kernels in {@code isa}
     * (an {@link Isa#code()}); returns 0, or -2 when the scratch row could not be allocated.
     */
    static native int maxPoolForward(int isa, float[] x, int xOffset, float[] y, int yOffset, int from, int to, int h,
                                     int w, int p, int q, int kernel, int stride, int pad);

    /**
     * dx planes (kernels in {@code isa}, an {@link Isa#code()}) [from, to) = dy routed to the first maximum of each window of x; returns -1, the first
     * plane where some window holds no element equal to y's value (y is not the max pool of x), or -2
     * when the scratch row could not be allocated.
     */
    static native int maxPoolBackward(int isa, float[] x, int xOffset, float[] y, int yOffset, float[] dy, int dyOffset,
                                      float[] dx, int dxOffset, int from, int to, int h, int w, int p, int q,
                                      int kernel, int stride, int pad);
}
