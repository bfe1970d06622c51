package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import simil.tensor.Backend;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/** The reference the fast convolutions are tested against: a direct stride-1 convolution in double precision. */
final class ConvReference {
    private ConvReference() {}

    /** The passes of a convolution algorithm under test, for one fixed shape. */
    interface Forward { void run(Tensor x, Tensor weight, Tensor bias, Tensor y); }
    interface BackwardData { void run(Tensor dy, Tensor weight, Tensor dx); }
    interface BackwardWeights { void run(Tensor x, Tensor dy, Tensor dWeight); }

    /**
     * Runs the forward pass (into an output full of noise: it must overwrite), the data gradient unless
     * {@code backwardData} is null, and the weight gradient twice (it must accumulate) on random tensors of
     * shape {@code s}, and checks each against {@link #direct}. Without {@code withBias} the forward gets null.
     */
    static void check(Backend be, Conv2dShape s, boolean withBias, Forward forward, BackwardData backwardData,
                      BackwardWeights backwardWeights) {
        int n = s.batch(), c = s.inChannels(), k = s.outChannels();
        Tensor x = normal(be, 1, n, c, s.height(), s.width()), weight = normal(be, 2, k, c, s.kernelH(), s.kernelW());
        Tensor bias = withBias ? normal(be, 3, k) : be.zeros(k), dy = normal(be, 4, n, k, s.outHeight(), s.outWidth());
        Tensor y = normal(be, 5, n, k, s.outHeight(), s.outWidth()), dx = be.zeros(x.shape()), dWeight = be.zeros(weight.shape());
        forward.run(x, weight, withBias ? bias : null, y);
        if (backwardData != null) backwardData.run(dy, weight, dx);
        backwardWeights.run(x, dy, dWeight);
        backwardWeights.run(x, dy, dWeight);

        double[][] expected = direct(s, be.toArray(x), be.toArray(weight), be.toArray(bias), be.toArray(dy));
        for (int i = 0; i < expected[2].length; i++) expected[2][i] *= 2;
        assertClose("y", expected[0], be.toArray(y));
        if (backwardData != null) assertClose("dx", expected[1], be.toArray(dx));
        assertClose("dWeight", expected[2], be.toArray(dWeight));
    }

    private static Tensor normal(Backend be, long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0, 1, seed);
        return t;
    }

    /** {y, dx, dWeight} of a direct stride-1 convolution, in double. */
    private static double[][] direct(Conv2dShape s, float[] x, float[] wt, float[] bias, float[] dy) {
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
    private static void assertClose(String what, double[] expected, float[] got) {
        double err = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            err = Math.max(err, Math.abs(expected[i] - got[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(err <= 2e-5 * scale, what + ": error " + err + " against largest value " + scale);
    }
}
