package simil.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.layers.BceWithLogitsLoss;
import simil.layers.Parameter;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;

/**
 * One whole MatchNet training step against PyTorch (tools/golden/golden_matchnet.py): both images of
 * each pair through the tower as one batch of 2B, the metric network on the two halves, BCE, then
 * the gradient of every parameter. Reduced bottleneck and metric width; the conv stack is MatchNet's own.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class MatchNetGoldenTest {
    private final Backend be;

    MatchNetGoldenTest(Backend be) {
        this.be = be;
    }

    @Test
    void forwardAndBackwardMatchPyTorch() {
        Golden g = Golden.load("matchnet_step");
        MatchNet model = new MatchNet(be, new MatchNetConfig(g.intParam("bottleneck"), g.intParam("metric_hidden"), 0f, false, 1));
        Map<String, Tensor> state = model.stateTensors();
        assertEquals(18, state.size(), "every parameter of the tower and metric network: " + state.keySet());
        state.forEach(g::copyInto);

        int pairs = g.shape("x1")[0];
        float[] x1 = g.floats("x1"), x2 = g.floats("x2");
        float[] both = new float[x1.length + x2.length];
        System.arraycopy(x1, 0, both, 0, x1.length);
        System.arraycopy(x2, 0, both, x1.length, x2.length);
        Tensor embeddings = model.embed(be.fromArray(both, 2 * pairs, 3, 64, 64), true);
        g.assertMatches("embeddings", embeddings);
        Tensor logits = model.metric().forward(embeddings.slice(0, pairs), embeddings.slice(pairs, 2 * pairs), true);
        g.assertMatches("logits", logits);
        BceWithLogitsLoss loss = new BceWithLogitsLoss(be);
        Golden.assertClose("loss", g.floats("loss"), be.toArray(loss.forward(logits, g.tensor(be, "target"))), Golden.TOLERANCE);

        model.parameters().forEach(Parameter::zeroGrad);
        Tensor[] dPair = model.metric().backward(loss.backward());
        Tensor dEmbeddings = be.zeros(2 * pairs, model.embeddingSize());
        be.tensors().copy(dPair[0], dEmbeddings.slice(0, pairs));
        be.tensors().copy(dPair[1], dEmbeddings.slice(pairs, 2 * pairs));
        model.embedBackward(dEmbeddings);
        for (Parameter p : model.parameters()) g.assertMatches("grad." + p.name(), p.grad());
    }
}
