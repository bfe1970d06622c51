package simil.parity;

import static simil.parity.BackendCases.SIZES;

import java.util.List;
import simil.tensor.Tensor;
import simil.tensor.TensorOps;

/**
 * Elementwise arithmetic, row vectors, reductions, concatenation and the index plumbing of {@link TensorOps}. One IEEE
 * operation per element is held exactly; a fused multiply-add may round once where the CPU rounds twice, and sums
 * may run in another order.
 */
final class TensorCases {
    private TensorCases() {}

    /** One rounding of a multiply-add apart, on values of order 1. */
    private static final Tolerance FUSED = Tolerance.of(1e-6, 1e-6);
    /** Sums of up to a few thousand terms of order 1 in another order. */
    private static final Tolerance SUMS = Tolerance.of(1e-5, 1e-5);

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("tensors.fill", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor t = in.uniform(-1, 1, n);
                        in.backend().tensors().fill(t, -2.5f);
                        out.add("n=" + n, t);
                    }
                }),
                ParityCase.of("tensors.copy", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor src = in.uniform(-1, 1, n), dst = in.uniform(-1, 1, n);
                        in.backend().tensors().copy(src, dst);
                        out.add("n=" + n, dst);
                    }
                    Tensor src = in.uniform(-1, 1, 6, 35), dst = in.uniform(-1, 1, 7, 30);
                    in.backend().tensors().copy(src, dst);
                    out.add("[6, 35] into [7, 30]", dst);
                }),
                ParityCase.of("tensors.scale", Tolerance.EXACT, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor t = in.uniform(-1, 1, n);
                        in.backend().tensors().scale(t, -0.3f);
                        out.add("n=" + n, t);
                    }
                }),
                ParityCase.of("tensors.axpy", FUSED, (in, out) -> {
                    for (int n : SIZES) {
                        Tensor x = in.uniform(-1, 1, n), y = in.uniform(-1, 1, n);
                        in.backend().tensors().axpy(0.7f, x, y);
                        out.add("n=" + n, y);
                    }
                }),
                ParityCase.of("tensors.add", Tolerance.EXACT, (in, out) -> {
                    TensorOps ops = in.backend().tensors();
                    for (int n : SIZES) {
                        Tensor a = in.uniform(-1, 1, n), b = in.uniform(-1, 1, n), c = in.uniform(-1, 1, n);
                        ops.add(a, b, c);
                        ops.add(a, b, a);
                        out.add("n=" + n, c).add("n=" + n + " into a", a);
                    }
                }),
                ParityCase.of("tensors.multiply", Tolerance.EXACT, (in, out) -> {
                    TensorOps ops = in.backend().tensors();
                    for (int n : SIZES) {
                        Tensor a = in.uniform(-1, 1, n), b = in.uniform(-1, 1, n), c = in.uniform(-1, 1, n);
                        ops.multiply(a, b, c);
                        ops.multiply(a, b, b);
                        out.add("n=" + n, c).add("n=" + n + " into b", b);
                    }
                }),
                ParityCase.of("tensors.scaleRows", Tolerance.EXACT, (in, out) -> {
                    TensorOps ops = in.backend().tensors();
                    for (int[] s : new int[][] {{1, 7}, {33, 65}, {64, 256}}) {
                        Tensor x = in.uniform(-1, 1, s[0], s[1]), f = in.uniform(0, 2, s[0]), y = in.uniform(-1, 1, s[0], s[1]);
                        ops.scaleRows(x, f, y);
                        ops.scaleRows(x, f, x);
                        out.add(s[0] + "x" + s[1], y).add(s[0] + "x" + s[1] + " in place", x);
                    }
                }),
                ParityCase.of("tensors.addRowVector", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1}, {37, 129}, {64, 256}, {3, 4099}}) {
                        Tensor x = in.uniform(-1, 1, s[0], s[1]), v = in.uniform(-1, 1, s[1]);
                        in.backend().tensors().addRowVector(x, v);
                        out.add(s[0] + "x" + s[1], x);
                    }
                }),
                ParityCase.of("tensors.sumRows", SUMS, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1}, {37, 129}, {1000, 64}, {2, 4099}}) {
                        Tensor x = in.uniform(-1, 1, s[0], s[1]), o = in.uniform(-1, 1, s[1]), acc = in.uniform(-1, 1, s[1]);
                        in.backend().tensors().sumRows(x, o, false);
                        in.backend().tensors().sumRows(x, acc, true);
                        out.add(s[0] + "x" + s[1], o).add(s[0] + "x" + s[1] + " accumulated", acc);
                    }
                }),
                ParityCase.of("tensors.mulRowVector", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1}, {37, 129}, {65, 192}}) {
                        Tensor x = in.uniform(-1, 1, s[0], s[1]), g = in.uniform(-1, 1, s[1]), y = in.uniform(-1, 1, s[0], s[1]);
                        in.backend().tensors().mulRowVector(x, g, y);
                        in.backend().tensors().mulRowVector(x, g, x);
                        out.add(s[0] + "x" + s[1], y).add(s[0] + "x" + s[1] + " in place", x);
                    }
                }),
                ParityCase.of("tensors.mulRowVectorBackward", SUMS, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1}, {37, 129}, {650, 192}}) {
                        Tensor x = in.uniform(-1, 1, s[0], s[1]), g = in.uniform(-1, 1, s[1]), dy = in.uniform(-1, 1, s[0], s[1]);
                        Tensor dx = in.uniform(-1, 1, s[0], s[1]), dg = in.uniform(-1, 1, s[1]);
                        in.backend().tensors().mulRowVectorBackward(x, g, dy, dx, dg);
                        out.add(s[0] + "x" + s[1] + " dx", dx).add(s[0] + "x" + s[1] + " dg", dg);
                    }
                }),
                ParityCase.of("tensors.concatColumns", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1}, {33, 256, 256}, {7, 31, 65}}) {
                        Tensor a = in.uniform(-1, 1, s[0], s[1]), b = in.uniform(-1, 1, s[0], s[2]);
                        Tensor o = in.uniform(-1, 1, s[0], s[1] + s[2]);
                        in.backend().tensors().concatColumns(a, b, o);
                        out.add(s[0] + "x(" + s[1] + "+" + s[2] + ")", o);
                    }
                }),
                ParityCase.of("tensors.splitColumns", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1}, {33, 256, 256}, {7, 31, 65}}) {
                        Tensor o = in.uniform(-1, 1, s[0], s[1] + s[2]);
                        Tensor a = in.uniform(-1, 1, s[0], s[1]), b = in.uniform(-1, 1, s[0], s[2]);
                        in.backend().tensors().splitColumns(o, a, b);
                        out.add(s[0] + "x" + s[1] + " a", a).add(s[0] + "x" + s[2] + " b", b);
                    }
                }),
                ParityCase.of("tensors.flipLastDim", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1, 1}, {2, 3, 64, 64}, {3, 2, 5, 33}}) {
                        Tensor x = in.uniform(-1, 1, s), y = in.uniform(-1, 1, s);
                        in.backend().tensors().flipLastDim(x, y);
                        out.add(s[2] + "x" + s[3], y);
                    }
                }),
                ParityCase.of("tensors.meanTokens", SUMS, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1, 0}, {3, 65, 192, 1}, {2, 17, 33, 0}}) {
                        Tensor x = in.uniform(-1, 1, s[0], s[1], s[2]), o = in.uniform(-1, 1, s[0], s[2]);
                        in.backend().tensors().meanTokens(x, s[3], o);
                        out.add(s[1] + " tokens from " + s[3], o);
                    }
                }),
                ParityCase.of("tensors.meanTokensBackward", FUSED, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1, 0}, {3, 65, 192, 1}, {2, 17, 33, 0}}) {
                        Tensor d = in.uniform(-1, 1, s[0], s[2]), dx = in.uniform(-1, 1, s[0], s[1], s[2]);
                        in.backend().tensors().meanTokensBackward(d, s[3], dx);
                        out.add(s[1] + " tokens from " + s[3], dx);
                    }
                }),
                ParityCase.of("tensors.pairSumRelu", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1}, {17, 33, 64}, {8, 8, 1024}}) {
                        Tensor a = in.uniform(-1, 1, s[0], s[2]), b = in.uniform(-1, 1, s[1], s[2]);
                        Tensor o = in.uniform(-1, 1, s[0] * s[1], s[2]);
                        in.backend().tensors().pairSumRelu(a, b, o);
                        out.add(s[0] + "x" + s[1] + " pairs of " + s[2], o);
                    }
                }),
                ParityCase.of("tensors.sumOfSquares", Tolerance.of(0, 1e-6), (in, out) -> {
                    // Summed in double on both: the float results agree to about one rounding.
                    for (int n : new int[] {1, 31, 4096, 1 << 18, 300007}) {
                        Tensor x = in.uniform(-1, 1, n), o = in.uniform(0, 1, 1), acc = in.uniform(0, 1, 1);
                        in.backend().tensors().sumOfSquares(x, o, false);
                        in.backend().tensors().sumOfSquares(x, acc, true);
                        out.add("n=" + n, o).add("n=" + n + " accumulated", acc);
                    }
                }),
                ParityCase.of("tensors.transposeLastTwo", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1}, {2, 192, 64}, {3, 33, 17}}) {
                        Tensor x = in.uniform(-1, 1, s), y = in.uniform(-1, 1, s[0], s[2], s[1]);
                        in.backend().tensors().transposeLastTwo(x, y);
                        out.add(s[1] + "x" + s[2], y);
                    }
                }),
                ParityCase.of("tensors.normalizeChannels", FUSED, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1, 1, 1}, {4, 3, 64, 64}, {2, 5, 7, 9}}) {
                        Tensor x = in.uniform(0, 1, s), mean = in.uniform(0.3f, 0.6f, s[1]), inv = in.uniform(2, 5, s[1]);
                        Tensor y = in.uniform(-1, 1, s);
                        in.backend().tensors().normalizeChannels(x, mean, inv, y);
                        out.add(s[1] + " channels of " + s[2] + "x" + s[3], y);
                    }
                }),
                ParityCase.of("tensors.gatherInts", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{1, 1}, {640, 257}, {33, 4096}}) {
                        Tensor src = in.ints(1 << 20, s[0]), ids = in.ints(s[0], s[1]), o = in.ints(7, s[1]);
                        in.backend().tensors().gatherInts(src, ids, o);
                        out.add(s[1] + " of " + s[0], o);
                    }
                }),
                ParityCase.of("tensors.maskedRows", Tolerance.EXACT, (in, out) -> {
                    // BEiT's shape (8×8 patches, a class token at row 0 of every image), a sparse mask and a full one.
                    for (int[] s : new int[][] {{1, 1, 1}, {32, 64, 40}, {3, 333, 100}, {2, 31, 100}}) {
                        int b = s[0], n = s[1];
                        int[] mask = new int[b * n];
                        for (int i = 0; i < mask.length; i++) mask[i] = in.nextInt(100) < s[2] ? in.nextInt(3) + 1 : 0;
                        Tensor m = in.ints(mask, b, n);
                        int capacity = b * n;
                        Tensor rows = in.ints(9, capacity), valid = in.ints(9, capacity), count = in.uniform(-1, 1, 1);
                        in.backend().tensors().maskedRows(m, n + 1, 1, rows, valid, count);
                        Tensor rows2 = in.ints(9, capacity), valid2 = in.ints(9, capacity);
                        in.backend().tensors().maskedRows(m, n, 0, rows2, valid2, null);
                        String name = b + "x" + n + " " + s[2] + "%";
                        out.add(name + " rows", rows).add(name + " valid", valid).add(name + " count", count)
                                .add(name + " rows without count", rows2).add(name + " valid without count", valid2);
                    }
                }));
    }
}
