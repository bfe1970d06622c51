package simil.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
class BceWithLogitsLossTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    /** The fixture includes logits of ±35, ±90 and ±500, where a naive log(σ(z)) overflows. */
    @Test
    void matchesPyTorchIncludingLargeLogits() {
        Golden g = Golden.load("bce_with_logits");
        BceWithLogitsLoss loss = new BceWithLogitsLoss(be);
        Tensor value = loss.forward(g.tensor(be, "logits"), g.tensor(be, "targets"));
        assertTrue(Float.isFinite(be.toArray(value)[0]));
        g.assertMatches("loss", value);
        g.assertMatches("dlogits", loss.backward());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor logits = be.zeros(4, 6), targets = be.zeros(4, 6);
        be.random().normal(logits, 0, 3, 51);
        be.random().uniform(targets, 0, 1, 52);
        BceWithLogitsLoss loss = new BceWithLogitsLoss(be);
        GradCheck.check(() -> loss.forward(logits, targets),
                dLoss -> scaled(loss.backward(), be.toArray(dLoss)[0]), logits, List.of(), 1e-2f, 1e-3);
    }

    private Tensor scaled(Tensor t, float factor) {
        Tensor out = be.zeros(t.shape());
        be.tensors().axpy(factor, t, out);
        return out;
    }
}
