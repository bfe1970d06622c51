package simil.parity;

import static simil.parity.BackendCases.SIZES;

import java.util.List;
import simil.tensor.ActivationOps;
import simil.tensor.Tensor;

/** ReLU, GELU and softmax, forward and backward, in place where the contract allows it. */
final class ActivationCases {
    private ActivationCases() {}

    /** Transcendentals (erf, exp) of the GPU's math library against the CPU's, a few float roundings apart. */
    private static final Tolerance TRANSCENDENTAL = Tolerance.of(1e-6, 1e-5);
    /** Rows of softmax: short, one warp, longer than a block, many. */
    private static final int[][] ROWS = {{1, 1}, {37, 65}, {3, 4099}, {1024, 32}};

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("activations.reluForward", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor x = in.uniform(-1, 1, n), y = in.uniform(-1, 1, n);
                        in.backend().activations().reluForward(x, y);
                        in.backend().activations().reluForward(x, x);
                        out.add("n=" + n, y).add("n=" + n + " in place", x);
                    }
                }),
                ParityCase.of("activations.reluBackward", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        float[] relu = in.uniformValues(n, -1, 1);
                        for (int i = 0; i < n; i++) relu[i] = Math.max(relu[i], 0f);
                        Tensor y = in.floats(relu, n), dy = in.uniform(-1, 1, n), dx = in.uniform(-1, 1, n);
                        in.backend().activations().reluBackward(y, dy, dx);
                        in.backend().activations().reluBackward(y, dy, dy);
                        out.add("n=" + n, dx).add("n=" + n + " in place", dy);
                    }
                }),
                ParityCase.of("activations.geluForward", TRANSCENDENTAL, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor x = in.uniform(-6, 6, n), y = in.uniform(-1, 1, n);
                        in.backend().activations().geluForward(x, y);
                        in.backend().activations().geluForward(x, x);
                        out.add("n=" + n, y).add("n=" + n + " in place", x);
                    }
                }),
                ParityCase.of("activations.geluBackward", TRANSCENDENTAL, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor x = in.uniform(-6, 6, n), dy = in.uniform(-1, 1, n), dx = in.uniform(-1, 1, n);
                        in.backend().activations().geluBackward(x, dy, dx);
                        in.backend().activations().geluBackward(x, dy, dy);
                        out.add("n=" + n, dx).add("n=" + n + " in place", dy);
                    }
                }),
                ParityCase.of("activations.softmaxForward", TRANSCENDENTAL, (in, out) -> {
                    ActivationOps ops = in.backend().activations();
                    for (int[] s : ROWS) {
                        Tensor x = in.uniform(-8, 8, s[0], s[1]), y = in.uniform(-1, 1, s[0], s[1]);
                        ops.softmaxForward(x, y);
                        ops.softmaxForward(x, x);
                        out.add(s[0] + "x" + s[1], y).add(s[0] + "x" + s[1] + " in place", x);
                    }
                    // Large logits: the max must be subtracted before exp.
                    Tensor big = in.uniform(80, 120, 5, 77), y = in.uniform(-1, 1, 5, 77);
                    ops.softmaxForward(big, y);
                    out.add("logits near 100", y);
                }),
                ParityCase.of("activations.softmaxBackward", TRANSCENDENTAL, (in, out) -> {
                    ActivationOps ops = in.backend().activations();
                    for (int[] s : ROWS) {
                        Tensor y = in.floats(softmaxRows(in.uniformValues(s[0] * s[1], -4, 4), s[1]), s[0], s[1]);
                        Tensor dy = in.uniform(-1, 1, s[0], s[1]), dx = in.uniform(-1, 1, s[0], s[1]);
                        ops.softmaxBackward(y, dy, dx);
                        ops.softmaxBackward(y, dy, dy);
                        out.add(s[0] + "x" + s[1], dx).add(s[0] + "x" + s[1] + " in place", dy);
                    }
                }));
    }

    /** Softmax of each row of {@code logits}, in double on the host: a backward's input that no backend computed. */
    static float[] softmaxRows(float[] logits, int columns) {
        float[] p = new float[logits.length];
        for (int r = 0; r < logits.length / columns; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < columns; c++) max = Math.max(max, logits[r * columns + c]);
            for (int c = 0; c < columns; c++) sum += Math.exp(logits[r * columns + c] - max);
            for (int c = 0; c < columns; c++) p[r * columns + c] = (float) (Math.exp(logits[r * columns + c] - max) / sum);
        }
        return p;
    }
}
