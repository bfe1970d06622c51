package simil.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

/** The metric network over a concatenated pair: gradients to both embeddings and every weight. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class MetricNetworkTest {
    @Parameter
    Backend be;

    private Tensor randomEmbeddings(long seed) {
        Tensor t = be.zeros(3, 5);
        be.random().normal(t, 0f, 1f, seed);
        return t;
    }

    @Test
    void gradientsOfTheFirstEmbeddingAndTheWeightsMatchFiniteDifferences() {
        MetricNetwork metric = new MetricNetwork(be, "metric", 5, 7, 0f, 3);
        Tensor a = randomEmbeddings(1), b = randomEmbeddings(2);
        GradCheck.check(() -> metric.forward(a, b, true), dy -> metric.backward(dy)[0], a, metric.parameters(), 1e-3f, 5e-3);
    }

    @Test
    void gradientOfTheSecondEmbeddingMatchesFiniteDifferences() {
        MetricNetwork metric = new MetricNetwork(be, "metric", 5, 7, 0f, 4);
        Tensor a = randomEmbeddings(5), b = randomEmbeddings(6);
        GradCheck.check(() -> metric.forward(a, b, true), dy -> metric.backward(dy)[1], b, List.of(), 1e-2f, 2e-3);
    }

    @Test
    void symmetricScoreIsTheMeanOfBothOrdersOutsideTraining() {
        MetricNetwork ordered = new MetricNetwork(be, "metric", 5, 7, 0f, 9);
        MetricNetwork symmetric = new MetricNetwork(be, "metric", 5, 7, 0f, true, 9);
        Tensor a = randomEmbeddings(10), b = randomEmbeddings(11);
        float[] ab = be.toArray(ordered.forward(a, b, false)), ba = be.toArray(ordered.forward(b, a, false));
        float[] mean = new float[ab.length];
        for (int i = 0; i < mean.length; i++) mean[i] = (ab[i] + ba[i]) / 2;
        Golden.assertClose("symmetric logits", mean, be.toArray(symmetric.forward(a, b, false)), 1e-6);
        Golden.assertClose("symmetric logits, swapped", mean, be.toArray(symmetric.forward(b, a, false)), 1e-6);
        Golden.assertClose("training: one order", ab, be.toArray(symmetric.forward(a, b, true)), 1e-6);
    }

    @Test
    void concatenationAndSplitAreInverse() {
        Tensor a = randomEmbeddings(7), b = be.zeros(3, 2), pair = be.zeros(3, 7), a2 = be.zeros(3, 5), b2 = be.zeros(3, 2);
        be.random().normal(b, 0f, 1f, 8);
        be.tensors().concatColumns(a, b, pair);
        float[] p = be.toArray(pair), av = be.toArray(a), bv = be.toArray(b);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) assertArrayEquals(new float[] {av[r * 5 + c]}, new float[] {p[r * 7 + c]});
            for (int c = 0; c < 2; c++) assertArrayEquals(new float[] {bv[r * 2 + c]}, new float[] {p[r * 7 + 5 + c]});
        }
        be.tensors().splitColumns(pair, a2, b2);
        assertArrayEquals(av, be.toArray(a2));
        assertArrayEquals(bv, be.toArray(b2));
    }
}
