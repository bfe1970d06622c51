package simil.layers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class MaskTokensTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("mask_tokens");
        MaskTokens masking = new MaskTokens(be, "mask_token", 3);
        g.copyInto("mask_token", masking.maskToken().value());
        g.assertMatches("y", masking.forward(g.tensor(be, "x"), g.tensor(be, "mask")));
        g.assertMatches("dx", masking.backward(g.tensor(be, "dy")));
        g.assertMatches("dmask_token", masking.maskToken().grad());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        MaskTokens masking = new MaskTokens(be, "mask_token", 4).init(4);
        Tensor x = be.zeros(2, 5, 4);
        be.random().normal(x, 0f, 1f, 5);
        Tensor mask = be.fromIntArray(new int[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 1}, 2, 5);
        GradCheck.check(() -> masking.forward(x, mask), masking::backward, x, masking.parameters(), 1e-2f, 1e-3);
    }
}
