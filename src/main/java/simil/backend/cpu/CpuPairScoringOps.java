package simil.backend.cpu;

import simil.tensor.PairScoringOps;
import simil.tensor.PosteriorScore;
import simil.tensor.QuantizedMetric;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * int8 pair scoring through the fused kernel (NativePairs) in the backend's instruction set, AVX-512 VNNI or
 * AVX2; tiles split over the worker threads. Baseline x86-64 has no int8 kernel. Score histograms in Java
 * ({@link CpuScoreHistogram}).
 */
final class CpuPairScoringOps implements PairScoringOps {
    /** The kernel copy this backend runs, or null for none. */
    private final Isa kernel;

    CpuPairScoringOps(Isa isa) {
        this.kernel = isa.int8PairsKernel();
    }

    @Override
    public boolean acceptsHidden(int hidden) {
        return hidden > 0 && hidden % NativePairs.PANEL == 0;
    }

    @Override
    public QuantizedMetric quantize(Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
        int h = w2.dim(0);
        if (w2.dim(1) != h || b2.size() != h || w3.size() != h || b3.size() != 1 || kernel == null || !acceptsHidden(h)) {
            throw new IllegalArgumentException("cannot quantize W2 " + w2 + ", b2 " + b2 + ", w3 " + w3 + ", b3 " + b3);
        }
        float[] w = CpuBackend.data(w2);
        int base = w2.offset();
        float[] scales = new float[h];
        int[] packed = new int[h * h / 4];
        for (int n = 0; n < h; n++) {
            float max = 0f;
            for (int k = 0; k < h; k++) max = Math.max(max, Math.abs(w[base + n * h + k]));
            scales[n] = max / 127f;
            float inv = max == 0f ? 0f : 127f / max;
            // Layout [H/64 panels][H/4 k-groups][64 columns] of int32, each holding k..k+3 as bytes, low first.
            int panel = n / NativePairs.PANEL, col = n % NativePairs.PANEL;
            for (int k4 = 0; k4 < h / 4; k4++) {
                int word = 0;
                for (int b = 0; b < 4; b++) {
                    int q = Math.round(w[base + n * h + 4 * k4 + b] * inv);
                    word |= (Math.max(-127, Math.min(127, q)) & 0xff) << (8 * b);
                }
                packed[(panel * (h / 4) + k4) * NativePairs.PANEL + col] = word;
            }
        }
        Tensor packedTensor = w2.backend().fromIntArray(packed, h / NativePairs.PANEL, h / 4, NativePairs.PANEL);
        Tensor scaleTensor = w2.backend().fromArray(scales, h);
        return new QuantizedMetric(h, packedTensor, scaleTensor, b2, w3, CpuBackend.data(b3)[b3.offset()]);
    }

    @Override
    public void scoreTile(Tensor firstHalf, Tensor secondHalf, QuantizedMetric metric, Tensor logits) {
        int rows = firstHalf.dim(0), cols = secondHalf.dim(0), h = metric.hidden();
        if (firstHalf.dim(1) != h || secondHalf.dim(1) != h || logits.size() != rows * cols) {
            throw new IllegalArgumentException("tile " + firstHalf + " × " + secondHalf + " into " + logits + ", hidden " + h);
        }
        int pairs = rows * cols, blocks = (pairs + NativePairs.PAIR_BLOCK - 1) / NativePairs.PAIR_BLOCK;
        float[] p = CpuBackend.data(firstHalf), q = CpuBackend.data(secondHalf), out = CpuBackend.data(logits);
        int[] packed = CpuBackend.ints(metric.packedWeights());
        float[] scales = CpuBackend.data(metric.rowScales()), b2 = CpuBackend.data(metric.b2()), w3 = CpuBackend.data(metric.w3());
        // Each pair's logit depends on that pair alone, so the split over threads does not change a number.
        Parallel.forRange(blocks, 1, (b0, b1) -> {
            int from = b0 * NativePairs.PAIR_BLOCK, to = Math.min(pairs, b1 * NativePairs.PAIR_BLOCK);
            if (!NativePairs.scoreRange(kernel.code(), p, firstHalf.offset(), q, secondHalf.offset(), cols, h, from, to,
                    packed, metric.packedWeights().offset(), scales, metric.rowScales().offset(),
                    b2, metric.b2().offset(), w3, metric.w3().offset(), metric.b3(), out, logits.offset() + from)) {
                throw new OutOfMemoryError("int8 pair kernel: no memory for its buffers");
            }
        });
    }

    @Override
    public ScoreHistogram histogram(float... thresholds) {
        return new CpuScoreHistogram(thresholds);
    }

    @Override
    public void histogramTile(Tensor logits, Tensor reversed, Tensor labels, int firstRow, int firstColumn, int columns,
                              ScoreHistogram into) {
        int rows = columns == 0 ? 0 : logits.size() / columns;
        if (rows * columns != logits.size() || (reversed != null && reversed.size() != logits.size())
                || firstRow < 0 || firstColumn < 0 || firstRow + rows > labels.size() || firstColumn + columns > labels.size()) {
            throw new IllegalArgumentException("tile of " + logits + " (" + columns + " columns, reversed " + reversed
                    + ") at (" + firstRow + ", " + firstColumn + ") over " + labels.size() + " labels");
        }
        CpuScoreHistogram h = cpu(into);
        float[] z = CpuBackend.data(logits), zr = reversed == null ? null : CpuBackend.data(reversed);
        int[] label = CpuBackend.ints(labels);
        int zo = logits.offset(), zro = reversed == null ? 0 : reversed.offset(), lo = labels.offset();
        for (int r = 0; r < rows; r++) {
            int i = firstRow + r, li = label[lo + i];
            if (zr == null) {
                for (int c = 0; c < columns; c++) {
                    int j = firstColumn + c;
                    if (i != j) h.add(z[zo + r * columns + c], li == label[lo + j], 1);
                }
            } else {
                for (int c = Math.max(0, i + 1 - firstColumn); c < columns; c++) {
                    float mean = 0.5f * (z[zo + r * columns + c] + zr[zro + c * rows + r]);
                    h.add(mean, li == label[lo + firstColumn + c], 2);
                }
            }
        }
    }

    @Override
    public void histogramPairs(Tensor logits, Tensor same, ScoreHistogram into) {
        CpuBackend.requireSameSize(logits, same);
        CpuScoreHistogram h = cpu(into);
        float[] z = CpuBackend.data(logits);
        int[] s = CpuBackend.ints(same);
        for (int k = 0; k < logits.size(); k++) h.add(z[logits.offset() + k], s[same.offset() + k] != 0, 1);
    }

    @Override
    public void histogramPosteriorTile(Tensor posterior, Tensor logits, Tensor reversed, float priorShift, Tensor labels,
                                       int firstRow, int firstColumn, int columns, ScoreHistogram into) {
        int rows = columns == 0 ? 0 : posterior.size() / columns;
        if (rows * columns != posterior.size() || (logits != null && logits.size() != posterior.size())
                || (reversed != null && (logits == null || reversed.size() != posterior.size()))
                || firstRow < 0 || firstColumn < 0 || firstRow + rows > labels.size() || firstColumn + columns > labels.size()) {
            throw new IllegalArgumentException("posterior tile " + posterior + " (" + columns + " columns, logits " + logits
                    + ", reversed " + reversed + ") at (" + firstRow + ", " + firstColumn + ") over " + labels.size() + " labels");
        }
        CpuScoreHistogram h = cpu(into);
        float[] q = CpuBackend.data(posterior), z = logits == null ? null : CpuBackend.data(logits);
        float[] zr = reversed == null ? null : CpuBackend.data(reversed);
        int[] label = CpuBackend.ints(labels);
        int qo = posterior.offset(), zo = logits == null ? 0 : logits.offset(), zro = reversed == null ? 0 : reversed.offset();
        int lo = labels.offset();
        boolean upperOnly = z == null || zr != null;
        // The mix's logarithms and exponential cost more than counting: the scores are mixed in parallel, then counted.
        float[] score = new float[rows * columns];
        Parallel.forRange(rows, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                int i = firstRow + r;
                for (int c = upperOnly ? Math.max(0, i + 1 - firstColumn) : 0; c < columns; c++) {
                    int k = r * columns + c;
                    if (z == null) score[k] = PosteriorScore.of(q[qo + k]);
                    else if (zr == null) score[k] = PosteriorScore.mixed(z[zo + k], q[qo + k], priorShift);
                    else score[k] = PosteriorScore.mixed(0.5f * (z[zo + k] + zr[zro + c * rows + r]), q[qo + k], priorShift);
                }
            }
        });
        int weight = upperOnly ? 2 : 1;
        for (int r = 0; r < rows; r++) {
            int i = firstRow + r, li = label[lo + i];
            for (int c = upperOnly ? Math.max(0, i + 1 - firstColumn) : 0; c < columns; c++) {
                int j = firstColumn + c;
                if (j != i) h.addScore(score[r * columns + c], li == label[lo + j], weight);
            }
        }
    }

    @Override
    public void histogramPosteriorPairs(Tensor posterior, Tensor logits, float priorShift, Tensor same, ScoreHistogram into) {
        CpuBackend.requireSameSize(posterior, same);
        if (logits != null) CpuBackend.requireSameSize(posterior, logits);
        CpuScoreHistogram h = cpu(into);
        float[] q = CpuBackend.data(posterior), z = logits == null ? null : CpuBackend.data(logits);
        int[] s = CpuBackend.ints(same);
        for (int k = 0; k < posterior.size(); k++) {
            float qk = q[posterior.offset() + k];
            float score = z == null ? PosteriorScore.of(qk) : PosteriorScore.mixed(z[logits.offset() + k], qk, priorShift);
            h.addScore(score, s[same.offset() + k] != 0, 1);
        }
    }

    private static CpuScoreHistogram cpu(ScoreHistogram h) {
        if (h instanceof CpuScoreHistogram c) return c;
        throw new IllegalArgumentException("a score histogram of another backend: " + h);
    }
}
