package simil.parity;

import java.util.List;
import java.util.Locale;
import simil.layers.BceWithLogitsLoss;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.optim.Adam;
import simil.tensor.Backend;
import simil.tensor.StagingBuffer;
import simil.tensor.Tensor;

/**
 * MatchNet trained on the CPU and on the backend under test from the same seed on the same batches, step for step, as
 * the pair phase trains it (both images of each pair through the batch-normalized tower as one batch, the metric
 * network on the two halves, BCE, AdamW), on {@link SyntheticPairs}: every op of a training step, dropout's masks
 * included, takes part, and the two loss curves are compared.
 */
public final class MatchNetParity {
    private MatchNetParity() {}

    /** The training loop's size: the batches, their number and the learning rate. */
    public record Settings(int steps, int pairs, long seed, float lr) {
        /** The pair phase's batch of 32 pairs. */
        public static Settings of(int steps) {
            return of(steps, 32);
        }

        public static Settings of(int steps, int pairs) {
            return new Settings(steps, pairs, 1, 3e-4f);
        }
    }

    /**
     * How far two correct backends' curves are apart, measured between the CPU's AVX-512 and AVX2 kernels (the same
     * ops, other roundings) over 200 steps: the first step's loss (same weights, same batch) identical; the means of
     * 10 steps within 0.008 of each other over the first 50 steps, before the trajectories part (then 0.06 at steps
     * 50–59, and up to 0.26 for a window of 25 later on, where one run met a loss spike the other did not); the mean
     * of the last quarter 0.12 apart. So the curve is held close where it can be, and afterwards to whether the device
     * learns as the CPU does: a device whose gradients are wrong stays near ln 2 or leaves the CPU's curve from the first
     * steps; one whose numbers break down gives NaN.
     */
    static final Tolerance FIRST_STEP = Tolerance.of(0, 1e-4);
    static final int EARLY_STEPS = 50, EARLY_WINDOW = 10;
    static final Tolerance EARLY = Tolerance.of(0.02, 0);
    static final Tolerance LATE = Tolerance.of(0.2, 0);

    /** Both runs' losses and their comparison. */
    public record Comparison(Settings settings, float[] reference, float[] candidate, double referenceSeconds,
                             double candidateSeconds, List<CaseResult> results) {
        /** The runs in one line: where the curves start and end, and how long each took. */
        public String describe() {
            return String.format(Locale.ROOT, "MatchNet, %d steps of %d pairs: mean loss of the first %d steps %.4f on the CPU, %.4f on"
                            + " the device; of the last %d %.4f and %.4f; training took %.0f s on the CPU, %.0f s on the device",
                    settings.steps(), settings.pairs(), Math.min(EARLY_WINDOW, reference.length), early(reference)[0],
                    early(candidate)[0], lateSteps(reference.length), late(reference)[0], late(candidate)[0], referenceSeconds,
                    candidateSeconds);
        }
    }

    /** Trains on {@code candidate}, then on {@code reference}, and compares the losses. */
    public static Comparison compare(Backend reference, Backend candidate, Settings s) {
        long start = System.nanoTime();
        float[] got = train(candidate, s);
        long middle = System.nanoTime();
        float[] expected = train(reference, s);
        double candidateSeconds = (middle - start) / 1e9, referenceSeconds = (System.nanoTime() - middle) / 1e9;
        return new Comparison(s, expected, got, referenceSeconds, candidateSeconds,
                results(expected, got, candidateSeconds + referenceSeconds));
    }

    /** The first step's loss, the early windows' means and the last quarter's mean, each within its tolerance. */
    static List<CaseResult> results(float[] expected, float[] got, double seconds) {
        int n = expected.length;
        return List.of(
                CaseResult.compare("matchnet.firstStepLoss", FIRST_STEP, new float[] {expected[0]}, new float[] {got[0]}, 0),
                CaseResult.compare("matchnet.earlyLoss (steps 0-" + (Math.min(EARLY_STEPS, n) - 1) + ", means of " + EARLY_WINDOW + ")",
                        EARLY, early(expected), early(got), 0),
                CaseResult.compare("matchnet.lateLoss (mean of steps " + (n - lateSteps(n)) + "-" + (n - 1) + ")", LATE,
                        late(expected), late(got), seconds));
    }

    /** The mean loss of each {@link #EARLY_WINDOW} steps of the first {@link #EARLY_STEPS} (the last may be shorter). */
    static float[] early(float[] losses) {
        int n = Math.min(EARLY_STEPS, losses.length);
        float[] means = new float[(n + EARLY_WINDOW - 1) / EARLY_WINDOW];
        for (int w = 0; w < means.length; w++) means[w] = mean(losses, w * EARLY_WINDOW, Math.min(n, (w + 1) * EARLY_WINDOW));
        return means;
    }

    /** The mean loss of the last quarter of the steps (at least one). */
    static float[] late(float[] losses) {
        return new float[] {mean(losses, losses.length - lateSteps(losses.length), losses.length)};
    }

    private static int lateSteps(int steps) {
        return Math.max(1, steps / 4);
    }

    private static float mean(float[] v, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += v[i];
        return (float) (sum / (to - from));
    }

    /** Each step's mean loss, read from the device once at the end. */
    public static float[] train(Backend be, Settings s) {
        MatchNet model = new MatchNet(be, new MatchNetConfig(256, 1024, 0.3f, true, s.seed()));
        Adam adam = Adam.adamW(model.parameters(), 0.05f);
        BceWithLogitsLoss bce = new BceWithLogitsLoss(be);
        SyntheticPairs data = new SyntheticPairs(s.seed());
        int b = s.pairs();
        float[] pixels = new float[2 * b * SyntheticPairs.PIXELS], targets = new float[b];
        StagingBuffer staging = be.stagingBuffer(pixels.length);
        try (Tensor images = be.zeros(2 * b, SyntheticPairs.CHANNELS, SyntheticPairs.SIDE, SyntheticPairs.SIDE);
             Tensor target = be.zeros(b); Tensor losses = be.zeros(s.steps()); Tensor dEmbeddings = be.zeros(2 * b, 256)) {
            for (int step = 0; step < s.steps(); step++) {
                data.batch(step, b, pixels, targets);
                staging.floats().put(0, pixels);
                be.copyIn(staging, images);
                be.write(target, targets);
                Tensor e = model.embed(images, true);
                Tensor logits = model.metric().forward(e.slice(0, b), e.slice(b, 2 * b), true);
                be.tensors().copy(bce.forward(logits, target), losses.slice(step, step + 1));
                Tensor[] d = model.metric().backward(bce.backward());
                be.tensors().copy(d[0], dEmbeddings.slice(0, b));
                be.tensors().copy(d[1], dEmbeddings.slice(b, 2 * b));
                model.embedBackward(dEmbeddings);
                adam.step(s.lr());
                adam.zeroGrad();
            }
            return be.toArray(losses);
        }
    }
}
