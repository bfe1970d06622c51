package simil.parity;

import java.util.List;
import simil.tensor.LossOps;
import simil.tensor.Tensor;

/**
 * The losses with their gradients (hard and soft targets, logits large enough to overflow a naive exp, masked rows,
 * label smoothing, no counted row at all) and the counts of right predictions, which are exact: ties of the largest
 * logit, logits of exactly 0, targets of exactly ½.
 */
final class LossCases {
    private LossCases() {}

    /** Means over up to a few thousand terms, exp and log of the GPU's math library. */
    private static final Tolerance LOSSES = Tolerance.of(1e-6, 1e-5);
    private static final int[] COUNTS = {1, 31, 256, 1000, 4099};
    /** Rows, classes. */
    private static final int[][] CLASSIFIERS = {{1, 2}, {37, 200}, {256, 8192}, {1000, 10}};

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("losses.bceWithLogits", LOSSES, (in, out) -> {
                    for (int n : COUNTS) {
                        Tensor z = in.uniform(-30, 30, n), hard = in.floats(bits(in, n), n), soft = in.uniform(0, 1, n);
                        Tensor d = in.uniform(-1, 1, n), loss = in.uniform(-1, 1, 1), d2 = in.uniform(-1, 1, n), loss2 = in.uniform(-1, 1, 1);
                        in.backend().losses().bceWithLogits(z, hard, d, loss);
                        in.backend().losses().bceWithLogits(z, soft, d2, loss2);
                        out.add("n=" + n + " dLogits", d).add("n=" + n + " loss", loss)
                                .add("n=" + n + " soft targets dLogits", d2).add("n=" + n + " soft targets loss", loss2);
                    }
                }),
                ParityCase.of("losses.softmaxCrossEntropy", LOSSES, (in, out) -> {
                    LossOps losses = in.backend().losses();
                    for (int[] s : CLASSIFIERS) {
                        int rows = s[0], classes = s[1];
                        Tensor z = in.uniform(-20, 20, rows, classes), targets = in.ints(classes, rows);
                        Tensor mask = in.ints(2, rows), none = in.ints(new int[rows], rows);
                        String n = rows + "x" + classes;
                        for (float smoothing : new float[] {0f, 0.1f}) {
                            Tensor d = in.uniform(-1, 1, rows, classes), loss = in.uniform(-1, 1, 1);
                            Tensor dm = in.uniform(-1, 1, rows, classes), lossM = in.uniform(-1, 1, 1);
                            losses.softmaxCrossEntropy(z, targets, null, smoothing, d, loss);
                            losses.softmaxCrossEntropy(z, targets, mask, smoothing, dm, lossM);
                            String m = n + " smoothing " + smoothing;
                            out.add(m + " dLogits", d).add(m + " loss", loss).add(m + " masked dLogits", dm).add(m + " masked loss", lossM);
                        }
                        Tensor d0 = in.uniform(-1, 1, rows, classes), loss0 = in.uniform(-1, 1, 1);
                        losses.softmaxCrossEntropy(z, targets, none, 0f, d0, loss0);
                        out.add(n + " no row counted dLogits", d0).add(n + " no row counted loss", loss0);
                    }
                }),
                ParityCase.of("losses.countArgmaxMatches", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : CLASSIFIERS) {
                        int rows = s[0], classes = s[1];
                        // Logits in a few levels: many rows hold their largest logit more than once.
                        float[] z = new float[rows * classes];
                        for (int i = 0; i < z.length; i++) z[i] = in.nextInt(4);
                        int[] targets = new int[rows];
                        for (int r = 0; r < rows; r++) targets[r] = in.nextInt(2) == 0 ? firstMax(z, r, classes) : in.nextInt(classes);
                        Tensor logits = in.floats(z, rows, classes), t = in.ints(targets, rows), mask = in.ints(2, rows);
                        Tensor all = in.uniform(-1, 1, 1), masked = in.uniform(-1, 1, 1);
                        in.backend().losses().countArgmaxMatches(logits, t, null, all);
                        in.backend().losses().countArgmaxMatches(logits, t, mask, masked);
                        out.add(rows + "x" + classes, all).add(rows + "x" + classes + " masked", masked);
                    }
                }),
                ParityCase.of("losses.countSignMatches", Tolerance.EXACT, (in, out) -> {
                    for (int n : COUNTS) {
                        float[] z = in.uniformValues(n, -1, 1), t = in.uniformValues(n, 0, 1);
                        for (int i = 0; i < n; i += 7) z[i] = 0f;
                        for (int i = 3; i < n; i += 11) t[i] = 0.5f;
                        Tensor count = in.uniform(-1, 1, 1);
                        in.backend().losses().countSignMatches(in.floats(z, n), in.floats(t, n), count);
                        out.add("n=" + n, count);
                    }
                }));
    }

    private static float[] bits(Inputs in, int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) b[i] = in.nextInt(2);
        return b;
    }

    private static int firstMax(float[] z, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (z[row * classes + c] > z[row * classes + best]) best = c;
        return best;
    }
}
