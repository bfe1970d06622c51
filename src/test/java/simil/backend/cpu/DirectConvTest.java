package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.ConvOps.Conv2dShape;

/** The direct convolution for few input channels against a direct convolution in double precision. */
@ParameterizedClass
@MethodSource("simil.testing.CpuBackends#everyIsa")
class DirectConvTest {
    private final Backend be;

    DirectConvTest(CpuBackend be) {
        this.be = be;
    }

    @Test
    void takesMatchNetsFirstLayerOnly() {
        assertTrue(DirectConv.handles(new Conv2dShape(64, 3, 64, 64, 24, 7, 7, 1, 3)));
        assertFalse(DirectConv.handles(new Conv2dShape(64, 24, 32, 32, 64, 5, 5, 1, 2)), "conv2: 24 input channels");
        assertFalse(DirectConv.handles(new Conv2dShape(64, 3, 64, 64, 192, 8, 8, 8, 0)), "BEiT's patch embedding: stride 8");
    }

    /** Forward and weight gradient against a direct convolution (see ConvReference.check); no data gradient here. */
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
        ConvReference.check(be, s, withBias, (x, weight, bias, y) -> direct.forward(s, x, weight, bias, y), null,
                (x, dy, dWeight) -> direct.backwardWeights(s, x, dy, dWeight));
    }
}
