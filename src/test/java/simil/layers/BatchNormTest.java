package simil.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class BatchNormTest {
    private final Backend be;

    BatchNormTest(Backend be) {
        this.be = be;
    }

    @Test
    void trainingStepMatchesPyTorch2d() {
        checkTraining("batchnorm2d_train");
    }

    @Test
    void trainingStepMatchesPyTorch1d() {
        checkTraining("batchnorm1d");
    }

    private void checkTraining(String fixture) {
        Golden g = Golden.load(fixture);
        int channels = g.shape("weight")[0];
        BatchNorm bn = new BatchNorm(be, "bn", channels, g.floatParam("momentum"), g.floatParam("eps"));
        load(g, bn);
        g.assertMatches("y", bn.forward(g.tensor(be, "x"), true));
        g.assertMatches("running_mean_after", bn.runningMean());
        g.assertMatches("running_var_after", bn.runningVar());
        g.assertMatches("dx", bn.backward(g.tensor(be, "dy")));
        g.assertMatches("dweight", bn.weight().grad());
        g.assertMatches("dbias", bn.bias().grad());
    }

    @Test
    void evaluationMatchesPyTorch() {
        Golden g = Golden.load("batchnorm2d_eval");
        BatchNorm bn = new BatchNorm(be, "bn", g.shape("weight")[0], BatchNorm.DEFAULT_MOMENTUM, g.floatParam("eps"));
        load(g, bn);
        g.assertMatches("y", bn.forward(g.tensor(be, "x"), false));
        g.assertMatches("running_mean", bn.runningMean()); // evaluation leaves the statistics alone
        assertThrows(IllegalStateException.class, () -> bn.backward(g.tensor(be, "x")));
    }

    /** Activations far from zero (mean 10⁴, std 1): the statistics must not cancel in float. */
    @Test
    void largeMeanKeepsPrecision() {
        Tensor x = be.zeros(8, 2, 6);
        be.random().normal(x, 1e4f, 1f, 35);
        float[] v = be.toArray(x);
        float[] expected = new float[v.length];
        for (int c = 0; c < 2; c++) {
            double sum = 0, sq = 0;
            for (int n = 0; n < 8; n++) for (int s = 0; s < 6; s++) sum += v[(n * 2 + c) * 6 + s];
            double mean = sum / 48;
            for (int n = 0; n < 8; n++) for (int s = 0; s < 6; s++) sq += Math.pow(v[(n * 2 + c) * 6 + s] - mean, 2);
            double invStd = 1 / Math.sqrt(sq / 48 + BatchNorm.DEFAULT_EPS);
            for (int n = 0; n < 8; n++) {
                for (int s = 0; s < 6; s++) expected[(n * 2 + c) * 6 + s] = (float) ((v[(n * 2 + c) * 6 + s] - mean) * invStd);
            }
        }
        Golden.assertClose("normalized", expected, be.toArray(new BatchNorm(be, "bn", 2).forward(x, true)), Golden.TOLERANCE);
    }

    @Test
    void defaultsAndStateNames() {
        BatchNorm bn = new BatchNorm(be, "tower.bn1", 3);
        assertEquals(List.of("tower.bn1.running_mean", "tower.bn1.running_var"), List.copyOf(bn.buffers().keySet()));
        assertSame(bn.runningVar(), bn.buffers().get("tower.bn1.running_var"));
        assertEquals(List.of("tower.bn1.weight", "tower.bn1.bias"), bn.parameters().stream().map(Parameter::name).toList());
        bn.parameters().forEach(p -> assertEquals(false, p.decayed(), p.name()));
        Golden.assertClose("running var", new float[] {1, 1, 1}, be.toArray(bn.runningVar()), 0);
        Golden.assertClose("gain", new float[] {1, 1, 1}, be.toArray(bn.weight().value()), 0);
    }

    @Test
    void gradientsMatchFiniteDifferences2d() {
        BatchNorm bn = randomized(new BatchNorm(be, "bn", 3));
        Tensor x = be.zeros(3, 3, 4, 5);
        be.random().normal(x, 0.5f, 1.5f, 31);
        GradCheck.check(bn, x, 1e-2f, 2e-3);
    }

    @Test
    void gradientsMatchFiniteDifferences1d() {
        BatchNorm bn = randomized(new BatchNorm(be, "bn", 5));
        Tensor x = be.zeros(7, 5);
        be.random().normal(x, -0.3f, 2f, 32);
        GradCheck.check(bn, x, 1e-2f, 2e-3);
    }

    private BatchNorm randomized(BatchNorm bn) {
        be.random().uniform(bn.weight().value(), 0.5f, 1.5f, 33);
        be.random().uniform(bn.bias().value(), -0.5f, 0.5f, 34);
        return bn;
    }

    private static void load(Golden g, BatchNorm bn) {
        g.copyInto("weight", bn.weight().value());
        g.copyInto("bias", bn.bias().value());
        g.copyInto("running_mean", bn.runningMean());
        g.copyInto("running_var", bn.runningVar());
    }
}
