package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import simil.tensor.Backend;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/** The direct convolution for few input channels against a direct convolution in double precision. */
class DirectConvTest {
    private final Backend be = CpuBackend.get();

    @Test
    void takesMatchNetsFirstLayerOnly() {
        assertTrue(DirectConv.handles(new Conv2dShape(64, 3, 64, 64, 24, 7, 7, 1, 3)));
        assertFalse(DirectConv.handles(new Conv2dShape(64, 24, 32, 32, 64, 5, 5, 1, 2)), "conv2: 24 input channels");
        assertFalse(DirectConv.handles(new Conv2dShape(64, 3, 64, 64, 192, 8, 8, 8, 0)), "BEiT's patch embedding: stride 8");
    }

    /** Forward, and the weight gradient twice to check that it accumulates. */
    @ParameterizedTest
    @CsvSource({
        "3, 3, 24, 64, 64, 7, 7, 3, true",    // MatchNet's conv1
        "2, 1, 5, 9, 13, 3, 5, 0, true",      // rectangular kernel, no padding, channels not a multiple of any block
        "2, 4, 9, 7, 40, 11, 11, 5, false",   // kernel wider than one block of kernel columns; no bias
        "11, 2, 3, 5, 5, 1, 1, 0, true",      // 1×1; more images than weight-gradient groups, unevenly split
        "1, 3, 2, 6, 6, 3, 3, 4, true",       // padding wider than the kernel: output larger than input
        "2, 3, 4, 4, 70, 2, 7, 1, true",      // output wider than one block of columns, not a multiple of it
    })
    void matchesDirectConvolution(int n, int c, int k, int h, int w, int kh, int kw, int pad, boolean withBias) {
        Conv2dShape s = new Conv2dShape(n, c, h, w, k, kh, kw, 1, pad);
        assertTrue(DirectConv.handles(s));
        DirectConv direct = new DirectConv((CpuBackend) be);
        Tensor x = normal(1, n, c, h, w), weight = normal(2, k, c, kh, kw), bias = withBias ? normal(3, k) : be.zeros(k);
        Tensor dy = normal(4, n, k, s.outHeight(), s.outWidth());
        Tensor y = be.zeros(n, k, s.outHeight(), s.outWidth()), dWeight = be.zeros(k, c, kh, kw);
        be.random().normal(y, 0, 1, 5); // every output is written, whatever was there
        direct.forward(s, x, weight, withBias ? bias : null, y);
        direct.backwardWeights(s, x, dy, dWeight);
        direct.backwardWeights(s, x, dy, dWeight);

        double[][] expected = ConvReference.direct(s, be.toArray(x), be.toArray(weight), be.toArray(bias), be.toArray(dy));
        for (int i = 0; i < expected[2].length; i++) expected[2][i] *= 2;
        ConvReference.assertClose("y", expected[0], be.toArray(y));
        ConvReference.assertClose("dWeight", expected[2], be.toArray(dWeight));
    }

    private Tensor normal(long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0, 1, seed);
        return t;
    }
}
