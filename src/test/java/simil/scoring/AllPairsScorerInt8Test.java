package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import simil.evaluation.Confusion;
import simil.evaluation.RankMetrics;
import simil.evaluation.ScoreAccumulator;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Capability;
import simil.tensor.Device;
import simil.tensor.PairScoringOps;
import simil.tensor.QuantizedMetric;
import simil.tensor.Tensor;

/** The int8 pair kernel against an fp64 reference, and the all-pairs scorer at both precisions. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class AllPairsScorerInt8Test {
    private final Backend be;

    AllPairsScorerInt8Test(Backend be) {
        this.be = be;
    }

    private boolean int8() { return be.supports(Capability.INT8_PAIRS); }

    private String noKernel() { return "no int8 pair kernel on " + be.device().description(); }

    @Test
    void int8LogitsMatchAnFp64ReferenceOnRandomWeights() {
        assumeTrue(int8(), noKernel());
        int h = 128, rows = 5, cols = 37; // 185 pairs: neither a multiple of the 96-pair block nor of 6 rows
        Random rnd = new Random(11);
        MetricNetwork metric = new MetricNetwork(be, "m", 16, h, 0f, 5);
        Tensor p = randomTensor(rnd, rows, h), q = randomTensor(rnd, cols, h);
        QuantizedMetric qm = be.pairScoring().quantize(metric.fc2().weight().value(), metric.fc2().bias().value(),
                metric.fc3().weight().value(), metric.fc3().bias().value());
        Tensor logits = be.zeros(rows * cols);
        be.pairScoring().scoreTile(p, q, qm, logits);
        float[] got = be.toArray(logits);
        double[] want = reference(metric, be.toArray(p), be.toArray(q), rows, cols, h);
        double spread = 0, maxErr = 0;
        for (int t = 0; t < want.length; t++) {
            spread = Math.max(spread, Math.abs(want[t]));
            maxErr = Math.max(maxErr, Math.abs(got[t] - want[t]));
        }
        // u8 h1 (step max/255 on AVX-512 VNNI, max/127 on AVX2) and s8 W2 (step max/127) give independent
        // rounding errors of under 0.4% of a term; summed over 128 terms they stay within 1% of the largest
        // logit. Measured here: 0.49% (AVX-512 VNNI), 0.76% (AVX2).
        assertTrue(maxErr <= 0.01 * spread, "max error " + maxErr + " for logits up to " + spread);
        assertTrue(spread > 0.05, "degenerate logits: " + spread);
    }

    @Test
    void aPairsLogitDoesNotDependOnHowTheTileIsSplit() {
        assumeTrue(int8(), noKernel());
        int h = 64, rows = 7, cols = 150; // 1,050 pairs: 11 blocks of 96, split over the worker threads
        Random rnd = new Random(3);
        MetricNetwork metric = new MetricNetwork(be, "m", 16, h, 0f, 8);
        Tensor p = randomTensor(rnd, rows, h), q = randomTensor(rnd, cols, h);
        QuantizedMetric qm = be.pairScoring().quantize(metric.fc2().weight().value(), metric.fc2().bias().value(),
                metric.fc3().weight().value(), metric.fc3().bias().value());
        Tensor whole = be.zeros(rows * cols);
        be.pairScoring().scoreTile(p, q, qm, whole);
        float[] byRow = new float[rows * cols];
        Tensor row = be.zeros(cols);
        for (int r = 0; r < rows; r++) {
            be.pairScoring().scoreTile(p.slice(r, r + 1), q, qm, row);
            System.arraycopy(be.toArray(row), 0, byRow, r * cols, cols);
        }
        assertArrayEquals(byRow, be.toArray(whole), 0f);
    }

    @ParameterizedTest(name = "symmetric {0}")
    @ValueSource(booleans = {false, true})
    void tileBookkeepingIsTheSameAtBothPrecisions(boolean symmetric) {
        assumeTrue(int8(), noKernel());
        int n = 23;
        MetricNetwork metric = new MetricNetwork(be, "m", 8, 64, 0f, symmetric, 3);
        Tensor e = randomTensor(new Random(2), n, 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 4;
        ScoreAccumulator fp32 = new ScoreAccumulator(0.5f), int8 = new ScoreAccumulator(0.5f);
        long pairs32 = new AllPairsScorer(metric, be, AllPairsScorer.Precision.FP32).score(e, labels, fp32, null);
        AllPairsScorer scorer8 = new AllPairsScorer(metric, be, AllPairsScorer.Precision.INT8);
        assertEquals(AllPairsScorer.Precision.INT8, scorer8.effectivePrecision());
        long pairs8 = scorer8.score(e, labels, int8, null);
        long same = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j && labels[i] == labels[j]) same++;
        assertEquals((long) n * (n - 1), pairs32);
        assertEquals(pairs32, pairs8);
        assertEquals(same, fp32.positives());
        assertEquals(same, int8.positives());
        assertEquals(pairs32 - same, int8.negatives());
    }

    @Test
    void int8AucMatchesFp32OnASeparableProblem() {
        assumeTrue(int8(), noKernel());
        int f = 32, h = 64, n = 240, classes = 12;
        MetricNetwork metric = distanceMetric(f, h, new Random(4));
        Random rnd = new Random(9);
        float[][] centers = new float[classes][f];
        for (float[] c : centers) for (int k = 0; k < f; k++) c[k] = (float) rnd.nextGaussian();
        float[] e = new float[n * f];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int k = 0; k < f; k++) e[i * f + k] = centers[labels[i]][k] + 0.9f * (float) rnd.nextGaussian();
        }
        Tensor embeddings = be.fromArray(e, n, f);
        ScoreAccumulator fp32 = new ScoreAccumulator(0.5f), int8 = new ScoreAccumulator(0.5f);
        new AllPairsScorer(metric, be, AllPairsScorer.Precision.FP32).score(embeddings, labels, fp32, null);
        new AllPairsScorer(metric, be, AllPairsScorer.Precision.INT8).score(embeddings, labels, int8, null);
        double auc32 = RankMetrics.of(fp32).auc(), auc8 = RankMetrics.of(int8).auc();
        assertTrue(auc32 > 0.75 && auc32 < 0.999, "not a discriminating but imperfect problem: AUC " + auc32);
        assertEquals(auc32, auc8, 1e-3); // measured: 0.97480 vs 0.97481
        assertEquals(RankMetrics.of(fp32).ap(), RankMetrics.of(int8).ap(), 1e-3);
    }

    @Test
    void fallsBackToFp32OnADeviceWithoutInt8Pairs() {
        PairScoringOps none = (PairScoringOps) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PairScoringOps.class}, (proxy, method, args) -> {
                    // Score histograms run on every device; only the int8 kernel is missing.
                    if (method.getName().startsWith("histogram")) return method.invoke(be.pairScoring(), args);
                    throw new AssertionError("int8 kernel asked: " + method.getName());
                });
        Device plain = new Device("cpu", "a device without int8 pair scoring", Set.of());
        Backend withoutInt8 = (Backend) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "device" -> plain;
                    case "supports" -> InvocationHandler.invokeDefault(proxy, method, args);
                    case "pairScoring" -> none;
                    default -> method.invoke(be, args);
                });
        int n = 15;
        MetricNetwork metric = new MetricNetwork(withoutInt8, "m", 8, 64, 0f, 3);
        Tensor e = randomTensor(new Random(5), n, 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        AllPairsScorer fallback = new AllPairsScorer(metric, withoutInt8, AllPairsScorer.Precision.INT8);
        assertEquals(AllPairsScorer.Precision.FP32, fallback.effectivePrecision());
        ScoreAccumulator got = new ScoreAccumulator(0.5f), want = new ScoreAccumulator(0.5f);
        fallback.score(e, labels, got, null);
        new AllPairsScorer(metric, be, AllPairsScorer.Precision.FP32).score(e, labels, want, null);
        Confusion a = got.confusionAt(0.5f), b = want.confusionAt(0.5f);
        assertArrayEquals(new long[] {b.tp(), b.fp(), b.tn(), b.fn()}, new long[] {a.tp(), a.fp(), a.tn(), a.fn()});
        assertEquals(RankMetrics.of(want).auc(), RankMetrics.of(got).auc(), 0.0);
    }

    /**
     * fc1 gives h1 = (relu(a - b), relu(b - a)) (|a - b| split in two), fc2 ≈ identity plus noise so that
     * its quantization matters, fc3 = −1: the logit falls with the L1 distance of the pair.
     */
    private MetricNetwork distanceMetric(int f, int h, Random rnd) {
        MetricNetwork m = new MetricNetwork(be, "d", f, h, 0f, 1);
        float[] w1 = new float[h * 2 * f];
        for (int k = 0; k < f; k++) {
            w1[k * 2 * f + k] = 1f;
            w1[k * 2 * f + f + k] = -1f;
            w1[(f + k) * 2 * f + k] = -1f;
            w1[(f + k) * 2 * f + f + k] = 1f;
        }
        be.write(m.fc1().weight().value(), w1);
        be.write(m.fc1().bias().value(), new float[h]);
        float[] w2 = new float[h * h];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < h; j++) w2[i * h + j] = (i == j ? 1f : 0f) + 0.05f * (float) rnd.nextGaussian();
        }
        be.write(m.fc2().weight().value(), w2);
        be.write(m.fc2().bias().value(), new float[h]);
        float[] w3 = new float[h];
        java.util.Arrays.fill(w3, -1f / f);
        be.write(m.fc3().weight().value(), w3);
        be.write(m.fc3().bias().value(), new float[] {2.5f});
        return m;
    }

    private Tensor randomTensor(Random rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return be.fromArray(v, rows, cols);
    }

    /** w3 · relu(W2 · relu(p + q) + b2) + b3 in float64 for every pair of the tile, row-major. */
    private double[] reference(MetricNetwork m, float[] p, float[] q, int rows, int cols, int h) {
        float[] w2 = be.toArray(m.fc2().weight().value()), b2 = be.toArray(m.fc2().bias().value());
        float[] w3 = be.toArray(m.fc3().weight().value()), b3 = be.toArray(m.fc3().bias().value());
        double[] out = new double[rows * cols];
        double[] h1 = new double[h];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int k = 0; k < h; k++) h1[k] = Math.max(0, p[r * h + k] + q[c * h + k]);
                double z = b3[0];
                for (int o = 0; o < h; o++) {
                    double s = b2[o];
                    for (int k = 0; k < h; k++) s += w2[o * h + k] * h1[k];
                    z += w3[o] * Math.max(0, s);
                }
                out[r * cols + c] = z;
            }
        }
        return out;
    }
}
