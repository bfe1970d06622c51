package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import simil.tensor.ConvOps.Conv2dShape;

/** The reference the fast convolutions are tested against: a direct stride-1 convolution in double precision. */
final class ConvReference {
    private ConvReference() {}

    /** {y, dx, dWeight} of a direct stride-1 convolution, in double. */
    static double[][] direct(Conv2dShape s, float[] x, float[] wt, float[] bias, float[] dy) {
        int n = s.batch(), c = s.inChannels(), h = s.height(), w = s.width(), k = s.outChannels(), kh = s.kernelH(), kw = s.kernelW();
        int p = s.outHeight(), q = s.outWidth(), pad = s.padding();
        double[] y = new double[n * k * p * q], dx = new double[x.length], dw = new double[wt.length];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < k; o++) {
                for (int oy = 0; oy < p; oy++) {
                    for (int ox = 0; ox < q; ox++) {
                        int out = ((b * k + o) * p + oy) * q + ox;
                        double sum = bias[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = oy - pad + i, ix = ox - pad + j;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    int in = ((b * c + ch) * h + iy) * w + ix, wi = ((o * c + ch) * kh + i) * kw + j;
                                    sum += (double) x[in] * wt[wi];
                                    dx[in] += (double) dy[out] * wt[wi];
                                    dw[wi] += (double) dy[out] * x[in];
                                }
                            }
                        }
                        y[out] = sum;
                    }
                }
            }
        }
        return new double[][] {y, dx, dw};
    }

    /** Largest error within 2e-5 of the largest expected magnitude: fast algorithms round at about that scale. */
    static void assertClose(String what, double[] expected, float[] got) {
        double err = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            err = Math.max(err, Math.abs(expected[i] - got[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(err <= 2e-5 * scale, what + ": error " + err + " against largest value " + scale);
    }
}
