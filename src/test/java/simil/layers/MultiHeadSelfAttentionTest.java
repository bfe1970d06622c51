package simil.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class MultiHeadSelfAttentionTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorchWithRelativePositionBias() {
        Golden g = Golden.load("mhsa");
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "attn", 8, g.intParam("heads"), g.intParam("grid"));
        loadParameters(g, attention);
        g.copyInto("table", attention.biasTable().value());
        runAndCompare(g, attention);
        g.assertMatches("dtable", attention.biasTable().grad());
    }

    @Test
    void matchesPyTorchWithoutRelativePositionBias() {
        Golden g = Golden.load("mhsa_plain");
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "attn", 6, g.intParam("heads"), 0);
        assertNull(attention.biasTable());
        loadParameters(g, attention);
        runAndCompare(g, attention);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "attn", 8, 2, 2).init(5);
        randomize(attention.qBias().value(), 0.5f, 6);
        randomize(attention.vBias().value(), 0.5f, 7);
        randomize(attention.biasTable().value(), 0.5f, 8);
        randomize(attention.proj().bias().value(), 0.5f, 9);
        randomize(attention.qkv().weight().value(), 0.5f, 10);
        Tensor x = be.zeros(2, 5, 8);
        randomize(x, 1f, 11);
        GradCheck.check(attention, x, 1e-2f, 1e-3);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithoutBias() {
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "attn", 6, 3, 0).init(12);
        randomize(attention.qkv().weight().value(), 0.5f, 13);
        Tensor x = be.zeros(3, 4, 6);
        randomize(x, 1f, 14);
        GradCheck.check(attention, x, 1e-2f, 1e-3);
    }

    @Test
    void namesParametersInTimmsBeitLayout() {
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "blocks.0.attn", 12, 3, 4);
        List<String> names = attention.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("blocks.0.attn.qkv.weight", "blocks.0.attn.q_bias", "blocks.0.attn.v_bias",
                "blocks.0.attn.relative_position_bias_table", "blocks.0.attn.proj.weight", "blocks.0.attn.proj.bias"), names);
        assertEquals(List.of(49 + 3, 3), List.of(attention.biasTable().shape()[0], attention.biasTable().shape()[1]));
    }

    @Test
    void rejectsATokenCountThatIsNotTheGridWithClassToken() {
        MultiHeadSelfAttention attention = new MultiHeadSelfAttention(be, "attn", 8, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> attention.forward(be.zeros(1, 4, 8), true));
    }

    private void loadParameters(Golden g, MultiHeadSelfAttention attention) {
        g.copyInto("qkv_weight", attention.qkv().weight().value());
        g.copyInto("q_bias", attention.qBias().value());
        g.copyInto("v_bias", attention.vBias().value());
        g.copyInto("proj_weight", attention.proj().weight().value());
        g.copyInto("proj_bias", attention.proj().bias().value());
    }

    private void runAndCompare(Golden g, MultiHeadSelfAttention attention) {
        g.assertMatches("y", attention.forward(g.tensor(be, "x"), true));
        g.assertMatches("dx", attention.backward(g.tensor(be, "dy")));
        g.assertMatches("dqkv_weight", attention.qkv().weight().grad());
        g.assertMatches("dq_bias", attention.qBias().grad());
        g.assertMatches("dv_bias", attention.vBias().grad());
        g.assertMatches("dproj_weight", attention.proj().weight().grad());
        g.assertMatches("dproj_bias", attention.proj().bias().grad());
    }

    private void randomize(Tensor t, float std, long seed) {
        be.random().normal(t, 0f, std, seed);
    }
}
