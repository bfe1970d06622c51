package simil.layers;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class Conv2dTest {
    private final Backend be;

    Conv2dTest(Backend be) {
        this.be = be;
    }

    @Test
    void stride1Padding1MatchesPyTorch() { matchesPyTorch("conv_s1_p1"); }

    @Test
    void stride2Padding3Kernel7MatchesPyTorch() { matchesPyTorch("conv_s2_p3"); }

    @Test
    void stride2NoPaddingNoBiasMatchesPyTorch() { matchesPyTorch("conv_s2_p0_nobias"); }

    @Test
    void kernel5Padding2MatchesPyTorch() { matchesPyTorch("conv_s1_p2_k5"); }

    private void matchesPyTorch(String fixture) {
        Golden g = Golden.load(fixture);
        int[] w = g.shape("weight");
        boolean withBias = g.has("bias");
        Conv2d layer = new Conv2d(be, "conv", w[1], w[0], w[2], g.intParam("stride"), g.intParam("padding"), withBias);
        g.copyInto("weight", layer.weight().value());
        if (withBias) g.copyInto("bias", layer.bias().value());
        // Run twice: outputs and data gradients overwrite, parameter gradients accumulate.
        for (int pass = 1; pass <= 2; pass++) {
            g.assertMatches("y", layer.forward(g.tensor(be, "x"), true));
            g.assertMatches("dx", layer.backward(g.tensor(be, "dy")));
        }
        Tensor twice = be.zeros(w);
        be.tensors().axpy(2f, g.tensor(be, "dweight"), twice);
        Golden.assertClose(fixture + "/dweight x2", be.toArray(twice), be.toArray(layer.weight().grad()), Golden.TOLERANCE);
        if (withBias) {
            Tensor twiceBias = be.zeros(w[0]);
            be.tensors().axpy(2f, g.tensor(be, "dbias"), twiceBias);
            Golden.assertClose(fixture + "/dbias x2", be.toArray(twiceBias), be.toArray(layer.bias().grad()), Golden.TOLERANCE);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Conv2d layer = new Conv2d(be, "conv", 3, 4, 3, 1, 1, true).init(5);
        GradCheck.check(layer, normal(6, 2, 3, 6, 7), 1e-2f, 1e-3);
    }

    /** Stride-1 5×5 runs through Winograd F(4×4, 5×5); 3×3 above through F(4×4, 3×3). */
    @Test
    void kernel5GradientsMatchFiniteDifferences() {
        Conv2d layer = new Conv2d(be, "conv", 2, 3, 5, 1, 2, true).init(6);
        GradCheck.check(layer, normal(7, 2, 2, 7, 6), 1e-2f, 1e-3);
    }

    @Test
    void stridedPaddedGradientsMatchFiniteDifferences() {
        Conv2d layer = new Conv2d(be, "conv", 2, 3, 5, 2, 2, true).init(7);
        GradCheck.check(layer, normal(8, 2, 2, 9, 8), 1e-2f, 1e-3);
    }

    @Test
    void firstLayerSkipsInputGradient() {
        Conv2d layer = new Conv2d(be, "conv", 3, 2, 7, 1, 3, false).init(9).inputNeedsGrad(false);
        Tensor x = normal(10, 2, 3, 8, 8);
        layer.forward(x, true);
        assertNull(layer.backward(be.zeros(2, 2, 8, 8)));
        GradCheck.check(layer, x, 1e-2f, 1e-3);
    }

    /** Large enough to split into several im2col chunks, so chunk boundaries are exercised. */
    @Test
    void manyImagesMatchOneAtATime() {
        Conv2d layer = new Conv2d(be, "conv", 64, 16, 3, 1, 1, true).init(11);
        Tensor x = normal(12, 40, 64, 24, 24);
        float[] batched = be.toArray(layer.forward(x, true));
        float[] single = be.toArray(layer.forward(x.slice(37, 38), true));
        float[] expected = java.util.Arrays.copyOfRange(batched, 37 * single.length, 38 * single.length);
        // Chunks of different sizes take different sgemm blockings: equal up to rounding, not bit for bit.
        Golden.assertClose("image 37", expected, single, 1e-5);
    }

    /** Weight gradients of a batch cut into several chunks equal the sum of per-image gradients. */
    @Test
    void weightGradientsSumOverChunks() {
        Conv2d batched = new Conv2d(be, "conv", 64, 8, 3, 1, 1, true).init(13);
        Conv2d single = new Conv2d(be, "conv", 64, 8, 3, 1, 1, true).init(13);
        Tensor x = normal(14, 6, 64, 24, 24), dy = normal(15, 6, 8, 24, 24);
        batched.forward(x, true);
        batched.backward(dy);
        for (int n = 0; n < 6; n++) {
            single.forward(x.slice(n, n + 1), true);
            single.backward(dy.slice(n, n + 1));
        }
        Golden.assertClose("dweight", be.toArray(single.weight().grad()), be.toArray(batched.weight().grad()), 1e-5);
        Golden.assertClose("dbias", be.toArray(single.bias().grad()), be.toArray(batched.bias().grad()), 1e-5);
    }

    private Tensor normal(long seed, int... shape) {
        Tensor x = be.zeros(shape);
        be.random().normal(x, 0, 1, seed);
        return x;
    }
}
