package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.requireSameSize;

import simil.tensor.NormOps;
import simil.tensor.Tensor;

/**
 * Batch norm runs one channel per task (a channel's statistics and gradients are reduced by one thread in
 * a fixed order); layer norm runs rows in parallel and reduces dGamma/dBeta over column blocks, so neither
 * depends on the thread count. Batch norm's loops are native ({@link NativeBatchNorm}: rows reduced in float
 * vector lanes, rows summed in double); layer norm's statistics are accumulated in double.
 */
final class CpuNormOps implements NormOps {
    private static final int GRAIN = 1 << 14;

    /** The {@link Isa#code()} of the batch-norm kernels. */
    private final int isa;

    CpuNormOps(Isa isa) {
        this.isa = isa.code();
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                                         Tensor runningMean, Tensor runningVar, float momentum, float eps) {
        Layout l = Layout.of(x, gamma, y);
        checkChannels(l.channels, beta, saveMean, saveInvStd, runningMean, runningVar);
        float[] xd = data(x), yd = data(y), g = data(gamma), b = data(beta);
        float[] sm = data(saveMean), si = data(saveInvStd), rm = data(runningMean), rv = data(runningVar);
        long count = (long) l.batch * l.spatial;
        if (count < 2) throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got " + x);
        Parallel.forRange(l.channels, channelGrain(l), (c0, c1) -> {
            int m = c1 - c0;
            double[] mean = new double[m], variance = new double[m];
            NativeBatchNorm.stats(isa, xd, x.offset(), l.batch, l.channels, l.spatial, c0, c1, mean, variance);
            ChannelAffine affine = new ChannelAffine(m);
            for (int j = 0; j < m; j++) {
                int c = c0 + j;
                double invStd = 1 / Math.sqrt(variance[j] + eps);
                affine.set(j, mean[j], g[gamma.offset() + c] * invStd, b[beta.offset() + c]);
                sm[saveMean.offset() + c] = (float) mean[j];
                si[saveInvStd.offset() + c] = (float) invStd;
                int rmi = runningMean.offset() + c, rvi = runningVar.offset() + c;
                rm[rmi] = (float) ((1 - momentum) * rm[rmi] + momentum * mean[j]);
                rv[rvi] = (float) ((1 - momentum) * rv[rvi] + momentum * variance[j] * count / (count - 1));
            }
            affine.apply(xd, x.offset(), yd, y.offset(), l, c0, c1);
        });
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                          float eps, Tensor y) {
        Layout l = Layout.of(x, gamma, y);
        checkChannels(l.channels, beta, runningMean, runningVar);
        float[] xd = data(x), yd = data(y), g = data(gamma), b = data(beta), rm = data(runningMean), rv = data(runningVar);
        Parallel.forRange(l.channels, channelGrain(l), (c0, c1) -> {
            ChannelAffine affine = new ChannelAffine(c1 - c0);
            for (int c = c0; c < c1; c++) {
                double invStd = 1 / Math.sqrt(rv[runningVar.offset() + c] + (double) eps);
                affine.set(c - c0, rm[runningMean.offset() + c], g[gamma.offset() + c] * invStd, b[beta.offset() + c]);
            }
            affine.apply(xd, x.offset(), yd, y.offset(), l, c0, c1);
        });
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        Layout l = Layout.of(x, gamma, dy);
        requireSameSize(x, dx);
        checkChannels(l.channels, saveMean, saveInvStd, dGamma, dBeta);
        float[] xd = data(x), dyd = data(dy), dxd = data(dx), g = data(gamma);
        float[] sm = data(saveMean), si = data(saveInvStd), dg = data(dGamma), db = data(dBeta);
        double count = (double) l.batch * l.spatial;
        Parallel.forRange(l.channels, channelGrain(l), (c0, c1) -> {
            int m = c1 - c0;
            float[] hi = new float[m], lo = new float[m], invStd = new float[m];
            for (int j = 0; j < m; j++) {
                hi[j] = sm[saveMean.offset() + c0 + j]; // the saved mean is a float: lo stays 0
                invStd[j] = si[saveInvStd.offset() + c0 + j];
            }
            double[] sumDy = new double[m], sumDyXhat = new double[m];
            NativeBatchNorm.backwardSums(isa, xd, x.offset(), dyd, dy.offset(), l.batch, l.channels, l.spatial, c0, c1,
                    hi, lo, invStd, sumDy, sumDyXhat);
            float[] k = new float[m], meanDy = new float[m], meanDyXhat = new float[m];
            for (int j = 0; j < m; j++) {
                int c = c0 + j;
                dg[dGamma.offset() + c] += (float) sumDyXhat[j];
                db[dBeta.offset() + c] += (float) sumDy[j];
                k[j] = g[gamma.offset() + c] * invStd[j];
                meanDy[j] = (float) (sumDy[j] / count);
                meanDyXhat[j] = (float) (sumDyXhat[j] / count);
            }
            // dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂))
            NativeBatchNorm.backwardDx(isa, xd, x.offset(), dyd, dy.offset(), dxd, dx.offset(), l.batch, l.channels, l.spatial,
                    c0, c1, hi, lo, invStd, k, meanDy, meanDyXhat);
        });
    }

    @Override
    public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor invStd) {
        int cols = gamma.size(), rows = rowsOf(x, cols);
        requireSameSize(x, y);
        checkChannels(cols, beta);
        checkChannels(rows, mean, invStd);
        float[] xd = data(x), yd = data(y), g = data(gamma), b = data(beta), md = data(mean), sd = data(invStd);
        int xo = x.offset(), yo = y.offset(), go = gamma.offset(), bo = beta.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xb = xo + r * cols, yb = yo + r * cols;
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += xd[xb + c];
                double mu = sum / cols, sq = 0;
                for (int c = 0; c < cols; c++) {
                    double d = xd[xb + c] - mu;
                    sq += d * d;
                }
                double inv = 1 / Math.sqrt(sq / cols + eps);
                float muF = (float) mu, invF = (float) inv;
                for (int c = 0; c < cols; c++) yd[yb + c] = (xd[xb + c] - muF) * invF * g[go + c] + b[bo + c];
                md[mean.offset() + r] = muF;
                sd[invStd.offset() + r] = invF;
            }
        });
    }

    @Override
    public void standardizeRows(Tensor x, float eps, Tensor y, Tensor mean, Tensor scale) {
        requireSameSize(x, y);
        int rows = x.dim(0), cols = x.rowSize();
        if (mean != null) checkChannels(rows, mean);
        if (scale != null) checkChannels(rows, scale);
        float[] xd = data(x), yd = data(y), md = mean == null ? null : data(mean), sd = scale == null ? null : data(scale);
        int xo = x.offset(), yo = y.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xb = xo + r * cols, yb = yo + r * cols;
                double sum = 0, sq = 0;
                for (int c = 0; c < cols; c++) sum += xd[xb + c];
                double mu = sum / cols;
                for (int c = 0; c < cols; c++) sq += (xd[xb + c] - mu) * (xd[xb + c] - mu);
                float sc = (float) Math.sqrt(sq / cols + eps), inv = 1f / sc, muF = (float) mu;
                for (int c = 0; c < cols; c++) yd[yb + c] = (xd[xb + c] - muF) * inv;
                if (md != null) md[mean.offset() + r] = muF;
                if (sd != null) sd[scale.offset() + r] = sc;
            }
        });
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor mean, Tensor invStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        int cols = gamma.size(), rows = rowsOf(x, cols);
        requireSameSize(x, dy);
        requireSameSize(x, dx);
        checkChannels(cols, dGamma, dBeta);
        checkChannels(rows, mean, invStd);
        float[] xd = data(x), dyd = data(dy), dxd = data(dx), g = data(gamma), md = data(mean), sd = data(invStd);
        float[] dg = data(dGamma), db = data(dBeta);
        int xo = x.offset(), dyo = dy.offset(), dxo = dx.offset(), go = gamma.offset();
        // dGamma and dBeta first: dx may alias dy.
        Parallel.forRange(cols, 64, (c0, c1) -> {
            int width = c1 - c0;
            double[] accG = new double[width], accB = new double[width];
            for (int r = 0; r < rows; r++) {
                int xb = xo + r * cols, db0 = dyo + r * cols;
                float mu = md[mean.offset() + r], inv = sd[invStd.offset() + r];
                for (int c = c0; c < c1; c++) {
                    float d = dyd[db0 + c];
                    accG[c - c0] += d * ((xd[xb + c] - mu) * inv);
                    accB[c - c0] += d;
                }
            }
            for (int c = c0; c < c1; c++) {
                dg[dGamma.offset() + c] += (float) accG[c - c0];
                db[dBeta.offset() + c] += (float) accB[c - c0];
            }
        });
        // dx = inv · (g·dy − mean(g·dy) − x̂ · mean(g·dy · x̂)) per row
        Parallel.forRange(rows, Math.max(1, GRAIN / cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xb = xo + r * cols, dyb = dyo + r * cols, dxb = dxo + r * cols;
                float mu = md[mean.offset() + r], inv = sd[invStd.offset() + r];
                double sumG = 0, sumGX = 0;
                for (int c = 0; c < cols; c++) {
                    double gdy = (double) g[go + c] * dyd[dyb + c];
                    sumG += gdy;
                    sumGX += gdy * ((xd[xb + c] - mu) * inv);
                }
                float meanG = (float) (sumG / cols), meanGX = (float) (sumGX / cols);
                for (int c = 0; c < cols; c++) {
                    float xhat = (xd[xb + c] - mu) * inv;
                    dxd[dxb + c] = inv * (g[go + c] * dyd[dyb + c] - meanG - xhat * meanGX);
                }
            }
        });
    }

    /**
     * y = (x − mean) · scale + shift for a range of channels. The double mean travels as hi + lo (two floats)
     * and x − hi is exact near the mean, so activations far from zero (mean ≫ std) do not cancel in float.
     */
    private final class ChannelAffine {
        final float[] hi, lo, scale, shift;

        ChannelAffine(int channels) {
            hi = new float[channels];
            lo = new float[channels];
            scale = new float[channels];
            shift = new float[channels];
        }

        void set(int j, double mean, double channelScale, double channelShift) {
            hi[j] = (float) mean;
            lo[j] = (float) (mean - hi[j]);
            scale[j] = (float) channelScale;
            shift[j] = (float) channelShift;
        }

        void apply(float[] xd, int xo, float[] yd, int yo, Layout l, int c0, int c1) {
            NativeBatchNorm.normalize(isa, xd, xo, yd, yo, l.batch, l.channels, l.spatial, c0, c1, hi, lo, scale, shift);
        }
    }

    private static int channelGrain(Layout l) {
        return Math.max(1, GRAIN / Math.max(1, l.batch * l.spatial));
    }

    private static int rowsOf(Tensor x, int cols) {
        if (cols == 0 || x.size() % cols != 0 || x.dim(-1) != cols) {
            throw new IllegalArgumentException("layer norm: " + x + " does not end in " + cols + " features");
        }
        return x.size() / cols;
    }

    private static void checkChannels(int expected, Tensor... perChannel) {
        for (Tensor t : perChannel) {
            if (t.size() != expected) throw new IllegalArgumentException("expected " + expected + " values, got " + t);
        }
    }

    /** x read as [batch, channels, spatial] (spatial = 1 for [N, C]). */
    private record Layout(int batch, int channels, int spatial) {
        static Layout of(Tensor x, Tensor gamma, Tensor y) {
            requireSameSize(x, y);
            if (x.rank() < 2 || x.dim(1) != gamma.size()) {
                throw new IllegalArgumentException("batch norm: " + x + " is not [N, " + gamma.size() + ", ...]");
            }
            return new Layout(x.dim(0), x.dim(1), x.size() / (x.dim(0) * x.dim(1)));
        }
    }
}
