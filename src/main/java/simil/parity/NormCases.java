package simil.parity;

import java.util.List;
import simil.tensor.NormOps;
import simil.tensor.Tensor;

/**
 * Batch norm over [N, C, H, W] and [N, C], layer norm and row standardization, over rows short and long. The
 * statistics a backward takes are computed on the host, so each op is checked on its own.
 */
final class NormCases {
    private NormCases() {}

    /** Normalized values of order 1 from sums of up to 8,192 terms, in another order. */
    private static final Tolerance NORMS = Tolerance.of(2e-5, 2e-5);
    /**
     * dGamma and dBeta sum a channel's N·H·W values (8,192 at 2×24×64×64) into values of order √(N·H·W / 3) ≈ 50, near zero
     * by cancellation at some channels: the absolute bound is 1e-5 of their spread. The CPU's AVX2 and AVX-512
     * kernels are 5e-5 apart.
     */
    private static final Tolerance PARAMETER_GRADIENTS = Tolerance.of(5e-4, 2e-5);
    private static final float EPS = 1e-5f, MOMENTUM = 0.1f;
    /** N, C, spatial H, W (0: the [N, C] of a linear layer). */
    private static final int[][] BATCH_NORMS = {{2, 24, 64, 64}, {3, 5, 7, 9}, {64, 256, 0, 0}, {2, 3, 1, 1}};
    private static final int[][] ROWS = {{1, 1}, {130, 192}, {7, 4099}, {1024, 32}};

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("norms.batchNormForwardTraining", NORMS, (in, out) -> {
                    for (int[] s : BATCH_NORMS) {
                        int c = s[1];
                        Tensor x = in.uniform(-1, 3, shape(s)), y = in.uniform(-1, 1, shape(s));
                        Tensor gamma = in.uniform(0.5f, 1.5f, c), beta = in.uniform(-1, 1, c);
                        Tensor mean = in.uniform(-1, 1, c), invStd = in.uniform(-1, 1, c);
                        Tensor runningMean = in.uniform(-1, 1, c), runningVar = in.uniform(0.5f, 2, c);
                        in.backend().norms().batchNormForwardTraining(x, gamma, beta, y, mean, invStd, runningMean, runningVar, MOMENTUM, EPS);
                        String n = name(s);
                        out.add(n + " y", y).add(n + " saved mean", mean).add(n + " saved 1/std", invStd)
                                .add(n + " running mean", runningMean).add(n + " running var", runningVar);
                    }
                }),
                ParityCase.of("norms.batchNormForwardInference", NORMS, (in, out) -> {
                    for (int[] s : BATCH_NORMS) {
                        int c = s[1];
                        Tensor x = in.uniform(-1, 3, shape(s)), y = in.uniform(-1, 1, shape(s));
                        Tensor gamma = in.uniform(0.5f, 1.5f, c), beta = in.uniform(-1, 1, c);
                        Tensor runningMean = in.uniform(-1, 1, c), runningVar = in.uniform(0.5f, 2, c);
                        in.backend().norms().batchNormForwardInference(x, gamma, beta, runningMean, runningVar, EPS, y);
                        out.add(name(s) + " y", y);
                    }
                }),
                ParityCase.of("norms.batchNormBackward", PARAMETER_GRADIENTS, (in, out) -> {
                    for (int[] s : BATCH_NORMS) {
                        int c = s[1], spatial = s[2] == 0 ? 1 : s[2] * s[3];
                        float[] xv = in.uniformValues(s[0] * c * spatial, -1, 3);
                        float[][] stats = channelStats(xv, s[0], c, spatial);
                        Tensor x = in.floats(xv, shape(s)), dy = in.uniform(-1, 1, shape(s)), dx = in.uniform(-1, 1, shape(s));
                        Tensor gamma = in.uniform(0.5f, 1.5f, c), mean = in.floats(stats[0], c), invStd = in.floats(stats[1], c);
                        Tensor dGamma = in.uniform(-1, 1, c), dBeta = in.uniform(-1, 1, c);
                        in.backend().norms().batchNormBackward(x, dy, gamma, mean, invStd, dx, dGamma, dBeta);
                        out.add(name(s) + " dx", dx, NORMS).add(name(s) + " dGamma", dGamma).add(name(s) + " dBeta", dBeta);
                    }
                }),
                ParityCase.of("norms.layerNormForward", NORMS, (in, out) -> {
                    for (int[] s : ROWS) {
                        Tensor x = in.uniform(-1, 3, s[0], s[1]), y = in.uniform(-1, 1, s[0], s[1]);
                        Tensor gamma = in.uniform(0.5f, 1.5f, s[1]), beta = in.uniform(-1, 1, s[1]);
                        Tensor mean = in.uniform(-1, 1, s[0]), invStd = in.uniform(-1, 1, s[0]);
                        in.backend().norms().layerNormForward(x, gamma, beta, 1e-6f, y, mean, invStd);
                        String n = s[0] + "x" + s[1];
                        out.add(n + " y", y).add(n + " mean", mean).add(n + " 1/std", invStd);
                    }
                }),
                ParityCase.of("norms.layerNormBackward", PARAMETER_GRADIENTS, (in, out) -> {
                    NormOps norms = in.backend().norms();
                    for (int[] s : ROWS) {
                        float[] xv = in.uniformValues(s[0] * s[1], -1, 3);
                        float[][] stats = channelStats(xv, 1, s[0], s[1]);
                        Tensor x = in.floats(xv, s[0], s[1]), dy = in.uniform(-1, 1, s[0], s[1]), dx = in.uniform(-1, 1, s[0], s[1]);
                        Tensor gamma = in.uniform(0.5f, 1.5f, s[1]), mean = in.floats(stats[0], s[0]);
                        Tensor invStd = in.floats(stats[1], s[0]);
                        Tensor dGamma = in.uniform(-1, 1, s[1]), dBeta = in.uniform(-1, 1, s[1]);
                        norms.layerNormBackward(x, dy, gamma, mean, invStd, dx, dGamma, dBeta);
                        String n = s[0] + "x" + s[1];
                        out.add(n + " dx", dx, NORMS).add(n + " dGamma", dGamma).add(n + " dBeta", dBeta);
                        // dx may alias dy.
                        Tensor dy2 = in.uniform(-1, 1, s[0], s[1]), dGamma2 = in.uniform(-1, 1, s[1]), dBeta2 = in.uniform(-1, 1, s[1]);
                        norms.layerNormBackward(x, dy2, gamma, mean, invStd, dy2, dGamma2, dBeta2);
                        out.add(n + " dx in place", dy2, NORMS).add(n + " dGamma in place", dGamma2).add(n + " dBeta in place", dBeta2);
                    }
                }),
                ParityCase.of("norms.standardizeRows", NORMS, (in, out) -> {
                    NormOps norms = in.backend().norms();
                    for (int[] s : new int[][] {{1, 2}, {1000, 48}, {5, 4099}}) {
                        Tensor x = in.uniform(0, 1, s[0], s[1]), y = in.uniform(-1, 1, s[0], s[1]);
                        Tensor mean = in.uniform(-1, 1, s[0]), scale = in.uniform(-1, 1, s[0]);
                        norms.standardizeRows(x, 1e-3f, y, mean, scale);
                        String n = s[0] + "x" + s[1];
                        out.add(n + " y", y).add(n + " mean", mean).add(n + " scale", scale);
                        norms.standardizeRows(x, 1e-3f, x, null, null);
                        out.add(n + " in place, no statistics", x);
                    }
                }));
    }

    private static int[] shape(int[] s) {
        return s[2] == 0 ? new int[] {s[0], s[1]} : s.clone();
    }

    private static String name(int[] s) {
        return s[2] == 0 ? s[0] + "x" + s[1] : s[0] + "x" + s[1] + "x" + s[2] + "x" + s[3];
    }

    /**
     * Per channel of x [N, C, spatial] in double: the mean and 1/√(biased variance + eps), as floats, the statistics a
     * forward saves for the backward (of rows, read as one image of a channel per row).
     */
    private static float[][] channelStats(float[] x, int batch, int channels, int spatial) {
        float[] mean = new float[channels], invStd = new float[channels];
        double n = (double) batch * spatial;
        for (int c = 0; c < channels; c++) {
            double sum = 0, sq = 0;
            for (int b = 0; b < batch; b++) for (int i = 0; i < spatial; i++) sum += x[(b * channels + c) * spatial + i];
            double mu = sum / n;
            for (int b = 0; b < batch; b++) for (int i = 0; i < spatial; i++) {
                double d = x[(b * channels + c) * spatial + i] - mu;
                sq += d * d;
            }
            mean[c] = (float) mu;
            invStd[c] = (float) (1 / Math.sqrt(sq / n + EPS));
        }
        return new float[][] {mean, invStd};
    }
}
