package simil.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
class SoftmaxCrossEntropyLossTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("softmax_ce");
        SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss(be);
        g.assertMatches("loss", loss.forward(g.tensor(be, "logits"), g.tensor(be, "all_targets")));
        g.assertMatches("dlogits", loss.backward());
    }

    /** Masked rows carry target −100 in the fixture: they must be neither read nor counted. */
    @Test
    void matchesPyTorchWithMaskAndLabelSmoothing() {
        Golden g = Golden.load("softmax_ce");
        SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss(be, g.floatParam("label_smoothing"));
        g.assertMatches("loss_masked_smoothed", loss.forward(g.tensor(be, "logits"), g.tensor(be, "targets"), g.tensor(be, "mask")));
        g.assertMatches("dlogits_masked_smoothed", loss.backward());
    }

    @Test
    void noCountedRowGivesZero() {
        Tensor logits = be.zeros(2, 3);
        be.random().normal(logits, 0, 1, 60);
        SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss(be, 0.1f);
        assertEquals(0f, be.toArray(loss.forward(logits, be.fromIntArray(new int[] {1, 2}, 2), be.intZeros(2)))[0]);
        Golden.assertClose("dlogits", new float[6], be.toArray(loss.backward()), 0);
    }

    /** A counted row's target outside the classes is refused (a GPU's kernel finds it, its next synchronize says so). */
    @Test
    void aCountedTargetOutsideTheClassesIsRefused() {
        Tensor logits = be.zeros(2, 3), targets = be.fromIntArray(new int[] {0, 3}, 2), dLogits = be.zeros(2, 3), loss = be.zeros(1);
        assertThrows(IllegalArgumentException.class, () -> {
            be.losses().softmaxCrossEntropy(logits, targets, null, 0f, dLogits, loss);
            be.synchronize();
        });
        be.losses().softmaxCrossEntropy(logits, targets, be.fromIntArray(new int[] {1, 0}, 2), 0f, dLogits, loss);
        assertEquals((float) Math.log(3), be.toArray(loss)[0], 1e-6f, "a masked row's target is not read");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor logits = be.zeros(5, 7);
        be.random().normal(logits, 0, 2, 61);
        Tensor targets = be.fromIntArray(new int[] {0, 6, 3, 3, 1}, 5);
        Tensor mask = be.fromIntArray(new int[] {1, 0, 1, 1, 1}, 5);
        SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss(be, 0.2f);
        GradCheck.check(() -> loss.forward(logits, targets, mask),
                dLoss -> {
                    Tensor dx = be.zeros(logits.shape());
                    be.tensors().axpy(be.toArray(dLoss)[0], loss.backward(), dx);
                    return dx;
                }, logits, List.of(), 1e-2f, 1e-3);
    }
}
