package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.layers.BceWithLogitsLoss;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;

/** Our BEiT stack against tools/golden/golden_beit.py (PyTorch in float64, the BEiT anchor's semantics). */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class BeitGoldenTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void pairModelForwardLossAndEveryGradientMatchPyTorch() {
        Golden g = Golden.load("beit_pair");
        Beit model = new Beit(be, config(g));
        List<Parameter> parameters = model.parameters();
        assertEquals(g.intParam("parameters"), parameters.size());
        for (Parameter p : parameters) g.copyInto(p.name(), p.value());
        int pairs = g.shape("targets")[0];

        Tensor embeddings = model.embed(g.tensor(be, "images"), true);
        Tensor logits = model.metric().forward(embeddings.slice(0, pairs), embeddings.slice(pairs, 2 * pairs), true);
        g.assertMatches("logits", logits);
        BceWithLogitsLoss loss = new BceWithLogitsLoss(be);
        Golden.assertClose("loss", g.floats("loss"), be.toArray(loss.forward(logits, g.tensor(be, "targets"))), Golden.TOLERANCE);

        Tensor[] dPair = model.metric().backward(loss.backward());
        Tensor dEmbeddings = be.zeros(2 * pairs, model.embeddingSize());
        be.tensors().copy(dPair[0], dEmbeddings.slice(0, pairs));
        be.tensors().copy(dPair[1], dEmbeddings.slice(pairs, 2 * pairs));
        model.embedBackward(dEmbeddings);
        for (Parameter p : parameters) g.assertMatches("grad." + p.name(), p.grad());
    }

    @Test
    void maskedEncoderMatchesPyTorch() {
        Golden g = Golden.load("beit_encoder_masked");
        BeitEncoder encoder = new BeitEncoder(be, config(g));
        assertEquals(g.intParam("parameters"), encoder.parameters().size());
        for (Parameter p : encoder.parameters()) g.copyInto(p.name(), p.value());
        g.assertMatches("tokens", encoder.forward(g.tensor(be, "images"), g.tensor(be, "mask"), true));
        encoder.backward(g.tensor(be, "dtokens"));
        for (Parameter p : encoder.parameters()) g.assertMatches("grad." + p.name(), p.grad());
    }

    @Test
    void tokenTransposeMatchesPyTorch() {
        Golden g = Golden.load("token_transpose");
        Tensor x = g.tensor(be, "x");
        Tensor y = be.zeros(x.dim(0), x.dim(2), x.dim(1));
        be.tensors().transposeLastTwo(x, y);
        g.assertMatches("y", y);
        Tensor dx = be.zeros(x.shape());
        be.tensors().transposeLastTwo(g.tensor(be, "dy"), dx);
        g.assertMatches("dx", dx);
    }

    /** The fixture's shape; no dropout and no stochastic depth, so training mode is deterministic. */
    private static BeitConfig config(Golden g) {
        return new BeitConfig(g.intParam("image_size"), g.intParam("patch_size"), g.intParam("dim"), g.intParam("depth"),
                g.intParam("heads"), g.intParam("mlp_ratio"), 0.1f, 0f, g.floatParam("layer_norm_eps"), true, 8192,
                g.intParam("bottleneck"), g.intParam("metric_hidden"), 0f, 1, false);
    }
}
