package simil.parity;

import java.util.List;
import simil.tensor.Capability;
import simil.tensor.PairScoringOps;
import simil.tensor.PosteriorScore;
import simil.tensor.QuantizedMetric;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * The int8 metric network over tiles of pairs (where both backends have it), and the score histograms, whose every
 * count must equal the CPU's: logits and posterior scores with ties, 0, 1, a hair past 1, NaN and infinities, tiles on
 * and off the diagonal, both orders or one, several tiles into one histogram.
 */
final class PairScoringCases {
    private PairScoringCases() {}

    /**
     * A backend may quantize the first layer's activations its own way (the CPU's VNNI and AVX2 kernels take 255 and 127
     * levels, and are 9e-3 apart on these logits of order 1), so int8 logits are compared at about twice that.
     */
    private static final Tolerance INT8 = Tolerance.of(0.02, 0.01);
    private static final float[] THRESHOLDS = {0.5f, 0.0625f, 0.9f, 0f, 1f};
    private static final float SHIFT = PosteriorScore.priorShift(7);

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.where("pairScoring.quantize+scoreTile", INT8,
                        be -> be.supports(Capability.INT8_PAIRS) ? null : be.name() + " has no int8 pair scoring", (in, out) -> {
                    PairScoringOps ops = in.backend().pairScoring();
                    // MatchNet's width and a small one: a backend with the capability must take both.
                    for (int h : new int[] {128, 1024}) {
                        out.add("acceptsHidden(" + h + ")", new int[] {ops.acceptsHidden(h) ? 1 : 0});
                        float a = (float) Math.sqrt(3.0 / h);
                        Tensor w2 = in.uniform(-a, a, h, h), b2 = in.uniform(-0.1f, 0.1f, h), w3 = in.uniform(-a, a, 1, h);
                        Tensor b3 = in.uniform(-0.1f, 0.1f, 1);
                        QuantizedMetric metric = ops.quantize(w2, b2, w3, b3);
                        for (int[] tile : new int[][] {{17, 33}, {64, 64}, {1, 1}}) {
                            Tensor first = in.uniform(-1, 1, tile[0], h), second = in.uniform(-1, 1, tile[1], h);
                            Tensor logits = in.uniform(-1, 1, tile[0] * tile[1]);
                            ops.scoreTile(first, second, metric, logits);
                            out.add("hidden " + h + " tile " + tile[0] + "x" + tile[1], logits);
                        }
                        metric.packedWeights().close();
                        metric.rowScales().close();
                    }
                }),
                ParityCase.of("pairScoring.histogramTile", Tolerance.EXACT, (in, out) -> {
                    int images = 90;
                    Tensor labels = in.ints(3, images);
                    try (ScoreHistogram once = histogram(in); ScoreHistogram both = histogram(in)) {
                        // Tiles below, on and across the diagonal; one of a single row.
                        for (int[] t : new int[][] {{0, 0, 40, 40}, {40, 0, 50, 40}, {10, 30, 37, 60}, {89, 0, 1, 90}}) {
                            int rows = t[2], cols = t[3];
                            Tensor logits = in.floats(logits(in, rows * cols), rows * cols);
                            Tensor reversed = in.floats(logits(in, rows * cols), cols * rows);
                            in.backend().pairScoring().histogramTile(logits, null, labels, t[0], t[1], cols, once);
                            in.backend().pairScoring().histogramTile(logits, reversed, labels, t[0], t[1], cols, both);
                        }
                        out.add("one order", once).add("both orders", both);
                    }
                }),
                ParityCase.of("pairScoring.histogramPairs", Tolerance.EXACT, (in, out) -> {
                    try (ScoreHistogram h = histogram(in)) {
                        for (int n : new int[] {1, 255, 4099}) {
                            in.backend().pairScoring().histogramPairs(in.floats(logits(in, n), n), in.ints(2, n), h);
                        }
                        out.add("pairs", h);
                    }
                }),
                ParityCase.of("pairScoring.histogramPosteriorTile", Tolerance.EXACT, (in, out) -> {
                    int images = 90;
                    Tensor labels = in.ints(3, images);
                    try (ScoreHistogram alone = histogram(in); ScoreHistogram mixed = histogram(in); ScoreHistogram mixedOnce = histogram(in)) {
                        for (int[] t : new int[][] {{0, 0, 40, 40}, {40, 0, 50, 40}, {10, 30, 37, 60}}) {
                            int n = t[2] * t[3];
                            Tensor q = in.floats(posteriors(in, n), n);
                            Tensor z = in.floats(logits(in, n), n), zr = in.floats(logits(in, n), n);
                            PairScoringOps ops = in.backend().pairScoring();
                            ops.histogramPosteriorTile(q, null, null, SHIFT, labels, t[0], t[1], t[3], alone);
                            ops.histogramPosteriorTile(q, z, zr, SHIFT, labels, t[0], t[1], t[3], mixed);
                            ops.histogramPosteriorTile(q, z, null, SHIFT, labels, t[0], t[1], t[3], mixedOnce);
                        }
                        out.add("posterior", alone).add("mixed, both orders", mixed).add("mixed, one order", mixedOnce);
                    }
                }),
                ParityCase.of("pairScoring.histogramPosteriorPairs", Tolerance.EXACT, (in, out) -> {
                    try (ScoreHistogram alone = histogram(in); ScoreHistogram mixed = histogram(in)) {
                        for (int n : new int[] {1, 255, 4099}) {
                            Tensor q = in.floats(posteriors(in, n), n), z = in.floats(logits(in, n), n), same = in.ints(2, n);
                            in.backend().pairScoring().histogramPosteriorPairs(q, null, SHIFT, same, alone);
                            in.backend().pairScoring().histogramPosteriorPairs(q, z, SHIFT, same, mixed);
                        }
                        out.add("posterior", alone).add("mixed", mixed);
                    }
                }));
    }

    private static ScoreHistogram histogram(Inputs in) {
        return in.backend().pairScoring().histogram(THRESHOLDS);
    }

    /** Logits with exact ties, zeros, ±∞, NaN, and values large enough that σ rounds to 0 or 1. */
    private static float[] logits(Inputs in, int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = switch (in.nextInt(12)) {
                case 0 -> 0f;
                case 1 -> Float.NaN;
                case 2 -> in.nextInt(2) == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                case 3 -> (in.nextInt(2) == 0 ? 1 : -1) * (20 + in.nextInt(100));
                case 4 -> in.nextInt(9) - 4;
                default -> in.uniformValues(1, -8, 8)[0];
            };
        }
        return z;
    }

    /** Posterior scores q: 0, 1, a hair past 1, a threshold, eighths, NaN, small products. */
    private static float[] posteriors(Inputs in, int n) {
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            q[i] = switch (in.nextInt(8)) {
                case 0 -> 0f;
                case 1 -> in.nextInt(2) == 0 ? 1f : Math.nextUp(1f);
                case 2 -> 0.0625f;
                case 3 -> in.nextInt(8) / 8f;
                case 4 -> Float.NaN;
                default -> in.uniformValues(1, 0, 1)[0] * in.uniformValues(1, 0, 1)[0];
            };
        }
        return q;
    }
}
