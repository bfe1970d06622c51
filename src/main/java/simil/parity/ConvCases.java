package simil.parity;

import java.util.List;
import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.ConvOps.Pool2dShape;
import simil.tensor.Tensor;

/**
 * Convolutions at MatchNet's shapes (the direct 7×7 first layer and the Winograd 5×5 and 3×3 ones on the CPU), BEiT's
 * patch embedding (stride = kernel) and odd sizes with stride 2; max pooling with ties; patch extraction. Weights are
 * scaled by 1/√(fan-in), so outputs and data gradients are of order 1 and weight gradients of order √(N·H·W) / 3.
 */
final class ConvCases {
    private ConvCases() {}

    /** Sums of a few hundred to a few thousand products, in another order and by other algorithms (Winograd, cuDNN's). */
    private static final Tolerance CONVOLUTION = Tolerance.of(1e-4, 1e-4);
    /**
     * Weight and bias gradients sum N·H·W products (2,048 at conv2) into values of order √(N·H·W) / 3 ≈ 15, near zero
     * by cancellation at some elements: the absolute bound is 7e-5 of their spread. The CPU's Winograd 5×5 is 3e-4
     * apart from itself between instruction sets.
     */
    private static final Tolerance WEIGHT_GRADIENTS = Tolerance.of(1e-3, 1e-4);

    private static final Conv2dShape[] SHAPES = {
            new Conv2dShape(2, 3, 64, 64, 24, 7, 7, 1, 3),
            new Conv2dShape(2, 24, 32, 32, 64, 5, 5, 1, 2),
            new Conv2dShape(2, 64, 16, 16, 96, 3, 3, 1, 1),
            new Conv2dShape(2, 3, 32, 32, 48, 8, 8, 8, 0),
            new Conv2dShape(3, 5, 13, 11, 7, 3, 3, 2, 1),
            new Conv2dShape(1, 1, 1, 1, 1, 1, 1, 1, 0),
    };

    private static final Pool2dShape[] POOLS = {
            new Pool2dShape(2, 24, 64, 64, 3, 2, 1),
            new Pool2dShape(3, 5, 13, 11, 3, 2, 1),
            new Pool2dShape(2, 3, 8, 8, 2, 2, 0),
    };

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("conv.conv2dForward", CONVOLUTION, (in, out) -> {
                    for (Conv2dShape s : SHAPES) {
                        Tensor x = input(in, s), w = weight(in, s), bias = in.uniform(-1, 1, s.outChannels());
                        Tensor y = output(in, s), yNoBias = output(in, s);
                        in.backend().conv().conv2dForward(s, x, w, bias, y);
                        in.backend().conv().conv2dForward(s, x, w, null, yNoBias);
                        out.add(name(s) + " y", y).add(name(s) + " y without bias", yNoBias);
                    }
                }),
                ParityCase.of("conv.conv2dBackwardData", CONVOLUTION, (in, out) -> {
                    for (Conv2dShape s : SHAPES) {
                        Tensor dy = output(in, s), w = weight(in, s), dx = input(in, s);
                        in.backend().conv().conv2dBackwardData(s, dy, w, dx);
                        out.add(name(s) + " dx", dx);
                    }
                }),
                ParityCase.of("conv.conv2dBackwardWeights", WEIGHT_GRADIENTS, (in, out) -> {
                    for (Conv2dShape s : SHAPES) {
                        Tensor x = input(in, s), dy = output(in, s), dw = weight(in, s), db = in.uniform(-1, 1, s.outChannels());
                        Tensor dwOnly = weight(in, s);
                        in.backend().conv().conv2dBackwardWeights(s, x, dy, dw, db);
                        in.backend().conv().conv2dBackwardWeights(s, x, dy, dwOnly, null);
                        out.add(name(s) + " dw", dw).add(name(s) + " dBias", db).add(name(s) + " dw without dBias", dwOnly);
                    }
                }),
                ParityCase.of("conv.conv2dBackward", WEIGHT_GRADIENTS, (in, out) -> {
                    for (Conv2dShape s : SHAPES) {
                        Tensor x = input(in, s), dy = output(in, s), w = weight(in, s);
                        Tensor dx = input(in, s), dw = weight(in, s), db = in.uniform(-1, 1, s.outChannels());
                        Tensor dw2 = weight(in, s), db2 = in.uniform(-1, 1, s.outChannels());
                        in.backend().conv().conv2dBackward(s, x, dy, w, dx, dw, db);
                        in.backend().conv().conv2dBackward(s, x, dy, w, null, dw2, db2);
                        out.add(name(s) + " dx", dx, CONVOLUTION).add(name(s) + " dw", dw).add(name(s) + " dBias", db)
                                .add(name(s) + " dw without dx", dw2).add(name(s) + " dBias without dx", db2);
                    }
                }),
                ParityCase.of("conv.maxPoolForward", Tolerance.EXACT, (in, out) -> {
                    for (Pool2dShape s : POOLS) {
                        Tensor x = in.floats(poolInput(in, s), s.batch(), s.channels(), s.height(), s.width());
                        Tensor y = in.uniform(-1, 1, s.batch(), s.channels(), s.outHeight(), s.outWidth());
                        in.backend().conv().maxPoolForward(s, x, y);
                        out.add(name(s), y);
                    }
                }),
                ParityCase.of("conv.maxPoolBackward", Tolerance.of(1e-6, 1e-6), (in, out) -> {
                    // Overlapping windows add their gradients into one input in either order.
                    for (Pool2dShape s : POOLS) {
                        float[] x = poolInput(in, s);
                        Tensor xt = in.floats(x, s.batch(), s.channels(), s.height(), s.width());
                        Tensor y = in.floats(maxPool(s, x), s.batch(), s.channels(), s.outHeight(), s.outWidth());
                        Tensor dy = in.uniform(-1, 1, s.batch(), s.channels(), s.outHeight(), s.outWidth());
                        Tensor dx = in.uniform(-1, 1, s.batch(), s.channels(), s.height(), s.width());
                        in.backend().conv().maxPoolBackward(s, xt, y, dy, dx);
                        out.add(name(s), dx);
                    }
                }),
                ParityCase.of("conv.extractPatches", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{2, 3, 64, 8}, {3, 2, 12, 4}, {1, 1, 1, 1}}) {
                        int grid = s[2] / s[3];
                        Tensor images = in.uniform(-1, 1, s[0], s[1], s[2], s[2]);
                        Tensor patches = in.uniform(-1, 1, s[0] * grid * grid, s[1] * s[3] * s[3]);
                        in.backend().conv().extractPatches(images, s[3], patches);
                        out.add(s[2] + "x" + s[2] + " in " + s[3] + "x" + s[3], patches);
                    }
                }));
    }

    private static Tensor input(Inputs in, Conv2dShape s) {
        return in.uniform(-1, 1, s.batch(), s.inChannels(), s.height(), s.width());
    }

    private static Tensor output(Inputs in, Conv2dShape s) {
        return in.uniform(-1, 1, s.batch(), s.outChannels(), s.outHeight(), s.outWidth());
    }

    /** U(−a, a) with a = √(3 / fan-in): unit variance of the outputs for unit-variance inputs. */
    private static Tensor weight(Inputs in, Conv2dShape s) {
        float a = (float) Math.sqrt(3.0 / (s.inChannels() * s.kernelH() * s.kernelW()));
        return in.uniform(-a, a, s.outChannels(), s.inChannels(), s.kernelH(), s.kernelW());
    }

    /** Values in eighths, so that windows hold equal maxima and the first one must win; negative ones too (padding never wins). */
    private static float[] poolInput(Inputs in, Pool2dShape s) {
        int n = s.batch() * s.channels() * s.height() * s.width();
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (in.nextInt(16) - 12) / 8f;
        return x;
    }

    /** The pooling's output on the host, the input of its backward. */
    private static float[] maxPool(Pool2dShape s, float[] x) {
        int oh = s.outHeight(), ow = s.outWidth();
        float[] y = new float[s.batch() * s.channels() * oh * ow];
        for (int nc = 0; nc < s.batch() * s.channels(); nc++) {
            for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int di = 0; di < s.kernel(); di++) for (int dj = 0; dj < s.kernel(); dj++) {
                    int r = i * s.stride() - s.padding() + di, c = j * s.stride() - s.padding() + dj;
                    if (r >= 0 && r < s.height() && c >= 0 && c < s.width()) max = Math.max(max, x[(nc * s.height() + r) * s.width() + c]);
                }
                y[(nc * oh + i) * ow + j] = max;
            }
        }
        return y;
    }

    private static String name(Conv2dShape s) {
        return s.batch() + "x" + s.inChannels() + "x" + s.height() + "x" + s.width() + " k" + s.outChannels() + " "
                + s.kernelH() + "x" + s.kernelW() + "/" + s.stride() + " pad " + s.padding();
    }

    private static String name(Pool2dShape s) {
        return s.batch() + "x" + s.channels() + "x" + s.height() + "x" + s.width() + " " + s.kernel() + "/" + s.stride() + " pad " + s.padding();
    }
}
