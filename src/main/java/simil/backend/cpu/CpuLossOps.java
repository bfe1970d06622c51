package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.ints;
import static simil.backend.cpu.CpuBackend.requireSameSize;

import java.util.Arrays;
import simil.tensor.LossOps;
import simil.tensor.Tensor;

/**
 * Per-row (per-element) losses are computed in parallel into a scratch array and then summed in index
 * order, so the loss does not depend on the thread count.
 */
final class CpuLossOps implements LossOps {
    private static final int GRAIN = 1 << 14;

    @Override
    public void bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits, Tensor loss) {
        requireSameSize(logits, targets);
        requireSameSize(logits, dLogits);
        requireScalar(loss);
        int n = logits.size();
        if (n == 0) throw new IllegalArgumentException("binary cross-entropy of an empty tensor");
        float[] z = data(logits), t = data(targets), dz = data(dLogits);
        int zo = logits.offset(), to = targets.offset(), dzo = dLogits.offset();
        double[] losses = new double[n];
        double invN = 1.0 / n;
        Parallel.forRange(n, GRAIN, (from, until) -> {
            for (int i = from; i < until; i++) {
                double zi = z[zo + i], ti = t[to + i];
                // max(z, 0) − z·t + log(1 + e^{−|z|}) never overflows; σ(z) from e^{−|z|} likewise.
                double e = Math.exp(-Math.abs(zi));
                losses[i] = Math.max(zi, 0) - zi * ti + Math.log1p(e);
                double sigmoid = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
                dz[dzo + i] = (float) ((sigmoid - ti) * invN);
            }
        });
        double sum = 0;
        for (double l : losses) sum += l;
        data(loss)[loss.offset()] = (float) (sum * invN);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits, Tensor loss) {
        if (logits.rank() != 2) throw new IllegalArgumentException("softmax cross-entropy expects [N, V] logits, got " + logits);
        int rows = logits.dim(0), vocab = logits.dim(1);
        requireSameSize(logits, dLogits);
        requireScalar(loss);
        if (targets.size() != rows) throw new IllegalArgumentException("targets " + targets + " for " + rows + " rows");
        if (mask != null && mask.size() != rows) throw new IllegalArgumentException("mask " + mask + " for " + rows + " rows");
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("label smoothing " + labelSmoothing + " not in [0, 1]");
        }
        float[] z = data(logits), dz = data(dLogits);
        int[] tg = ints(targets), mk = mask == null ? null : ints(mask);
        int zo = logits.offset(), dzo = dLogits.offset(), tgo = targets.offset(), mko = mask == null ? 0 : mask.offset();
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (mk != null && mk[mko + r] == 0) continue;
            int target = tg[tgo + r];
            if (target < 0 || target >= vocab) {
                throw new IllegalArgumentException("target " + target + " of row " + r + " outside [0, " + vocab + ")");
            }
            counted++;
        }
        if (counted == 0) {
            Arrays.fill(dz, dzo, dzo + logits.size(), 0f);
            data(loss)[loss.offset()] = 0f;
            return;
        }
        // PyTorch's smoothing: q = (1 − ε)·onehot + ε/V, loss = −Σ q·log p, gradient (p − q) / counted.
        double onTarget = 1.0 - labelSmoothing, uniform = (double) labelSmoothing / vocab;
        double invCount = 1.0 / counted;
        double[] losses = new double[rows];
        Parallel.forRange(rows, Math.max(1, GRAIN / vocab), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int zb = zo + r * vocab, db = dzo + r * vocab;
                if (mk != null && mk[mko + r] == 0) {
                    Arrays.fill(dz, db, db + vocab, 0f);
                    continue;
                }
                int target = tg[tgo + r];
                float max = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) max = Math.max(max, z[zb + v]);
                double sumExp = 0, sumLogits = 0;
                for (int v = 0; v < vocab; v++) {
                    double e = Math.exp(z[zb + v] - max);
                    dz[db + v] = (float) e;
                    sumExp += e;
                    sumLogits += z[zb + v];
                }
                double logSumExp = max + Math.log(sumExp);
                // −log p_v = logSumExp − z_v; the uniform part sums it over all v.
                losses[r] = onTarget * (logSumExp - z[zb + target]) + uniform * (vocab * logSumExp - sumLogits);
                double invSum = 1 / sumExp;
                for (int v = 0; v < vocab; v++) {
                    double q = uniform + (v == target ? onTarget : 0);
                    dz[db + v] = (float) ((dz[db + v] * invSum - q) * invCount);
                }
            }
        });
        double sum = 0;
        for (double l : losses) sum += l;
        data(loss)[loss.offset()] = (float) (sum * invCount);
    }

    @Override
    public void countArgmaxMatches(Tensor logits, Tensor targets, Tensor mask, Tensor out) {
        if (logits.rank() != 2) throw new IllegalArgumentException("argmax matches expect [N, V] logits, got " + logits);
        int rows = logits.dim(0), vocab = logits.dim(1);
        if (targets.size() != rows) throw new IllegalArgumentException("targets " + targets + " for " + rows + " rows");
        if (mask != null && mask.size() != rows) throw new IllegalArgumentException("mask " + mask + " for " + rows + " rows");
        requireScalar(out);
        float[] z = data(logits);
        int[] tg = ints(targets), mk = mask == null ? null : ints(mask);
        int zo = logits.offset(), tgo = targets.offset(), mko = mask == null ? 0 : mask.offset();
        int right = 0;
        for (int r = 0; r < rows; r++) {
            if (mk != null && mk[mko + r] == 0) continue;
            int best = 0, base = zo + r * vocab;
            for (int v = 1; v < vocab; v++) if (z[base + v] > z[base + best]) best = v;
            if (best == tg[tgo + r]) right++;
        }
        data(out)[out.offset()] = right;
    }

    @Override
    public void countSignMatches(Tensor logits, Tensor targets, Tensor out) {
        requireSameSize(logits, targets);
        requireScalar(out);
        float[] z = data(logits), t = data(targets);
        int zo = logits.offset(), to = targets.offset(), right = 0;
        for (int i = 0; i < logits.size(); i++) if ((z[zo + i] > 0) == (t[to + i] > 0.5f)) right++;
        data(out)[out.offset()] = right;
    }

    private static void requireScalar(Tensor t) {
        if (t.size() != 1) throw new IllegalArgumentException("expected a one-element tensor, got " + t);
    }
}
