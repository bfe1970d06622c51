package simil.backend.cuda;

import simil.tensor.PairScoringOps;
import simil.tensor.QuantizedMetric;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * All-pairs scoring on the GPU (kernels/pair_scoring.cu). The metric network runs in int8 as on the CPU, and the
 * device claims {@link simil.tensor.Capability#INT8_PAIRS}: W2 is quantized on the device exactly as
 * CpuPairScoringOps does (s8 per output row, the same packing), h1 to u8 per pair with 255 levels as the CPU's
 * AVX-512 VNNI copy, four products per dp4a; the int32 sums equal the CPU's there, only the float epilogue sums in
 * another order. (The fp32 path instead, PairTiles' pairSumRelu and two sgemms, needs no kernel of this class.) Scores are counted into histograms kept on the device
 * ({@link CudaScoreHistogram}), σ and the posterior mix in double as {@link simil.tensor.Sigmoid} and
 * {@link simil.tensor.PosteriorScore} compute them; no op here reads the device from the host, except
 * {@link #quantize}, which returns b3 as a host float.
 */
final class CudaPairScoringOps implements PairScoringOps {
    private static final Kernel QUANTIZE_WEIGHTS = Kernel.named("pair_scoring_quantize_weights");
    private static final Kernel INT8_TILE = Kernel.named("pair_scoring_int8_tile");
    private static final Kernel HISTOGRAM_TILE = Kernel.named("pair_scoring_histogram_tile");
    private static final Kernel HISTOGRAM_PAIRS = Kernel.named("pair_scoring_histogram_pairs");
    private static final Kernel HISTOGRAM_POSTERIOR_TILE = Kernel.named("pair_scoring_histogram_posterior_tile");
    private static final Kernel HISTOGRAM_POSTERIOR_PAIRS = Kernel.named("pair_scoring_histogram_posterior_pairs");
    /** Output columns per packed panel of W2 (PAIRS_PANEL in the kernels): the hidden width is a multiple of it. */
    private static final int PANEL = 64;
    /** Pairs per block of the int8 tile kernel (PAIRS_PER_BLOCK), whose u8 h1 rows fill its shared memory. */
    private static final int PAIRS_PER_BLOCK = 32;
    /**
     * Shared memory a block may have without asking for more, static and dynamic together: the kernel's h1 rows (H
     * bytes per pair) and its pair scales (a float per pair) bound the hidden width at 1472.
     */
    private static final int SHARED_BYTES = 48 * 1024;
    /** Threads per block of the int8 and quantization kernels (8 warps; the kernels' shared arrays). */
    private static final int THREADS = 256;

    private final CudaBackend backend;

    CudaPairScoringOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public boolean acceptsHidden(int hidden) {
        return hidden > 0 && hidden % PANEL == 0 && (long) PAIRS_PER_BLOCK * (hidden + 4) <= SHARED_BYTES;
    }

    @Override
    public QuantizedMetric quantize(Tensor w2, Tensor b2, Tensor w3, Tensor b3) {
        int h = w2.dim(0);
        if (w2.rank() != 2 || w2.dim(1) != h || b2.size() != h || w3.size() != h || b3.size() != 1 || !acceptsHidden(h)) {
            throw new IllegalArgumentException("cannot quantize W2 " + w2 + ", b2 " + b2 + ", w3 " + w3 + ", b3 " + b3);
        }
        Tensor packed = backend.intZeros(h / PANEL, h / 4, PANEL), scales = backend.zeros(h);
        backend.launch(QUANTIZE_WEIGHTS, Launch.perRow(h, THREADS, 0), backend.args().pointer(backend.floats(w2)).i32(h)
                .pointer(backend.ints(packed)).pointer(backend.floats(scales)));
        return new QuantizedMetric(h, packed, scales, b2, w3, backend.toArray(b3)[0]);
    }

    @Override
    public void scoreTile(Tensor firstHalf, Tensor secondHalf, QuantizedMetric metric, Tensor logits) {
        int rows = firstHalf.dim(0), cols = secondHalf.dim(0), h = metric.hidden();
        if (firstHalf.dim(1) != h || secondHalf.dim(1) != h || logits.size() != rows * cols) {
            throw new IllegalArgumentException("tile " + firstHalf + " × " + secondHalf + " into " + logits + ", hidden " + h);
        }
        int pairs = rows * cols;
        if (pairs == 0) return;
        Launch launch = new Launch((pairs + PAIRS_PER_BLOCK - 1) / PAIRS_PER_BLOCK, 1, 1, THREADS, 1, 1, PAIRS_PER_BLOCK * h);
        backend.launch(INT8_TILE, launch, backend.args().pointer(backend.floats(firstHalf)).pointer(backend.floats(secondHalf))
                .i32(cols).i32(h).i32(pairs).pointer(backend.ints(metric.packedWeights()))
                .pointer(backend.floats(metric.rowScales())).pointer(backend.floats(metric.b2()))
                .pointer(backend.floats(metric.w3())).f32(metric.b3()).pointer(backend.floats(logits)));
    }

    @Override
    public ScoreHistogram histogram(float... thresholds) {
        return new CudaScoreHistogram(backend, thresholds);
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
        CudaScoreHistogram h = cuda(into);
        if (logits.size() == 0) return;
        backend.launch(HISTOGRAM_TILE, counting(logits.size(), h), backend.args().pointer(backend.floats(logits))
                .pointer(orNull(reversed)).pointer(backend.ints(labels)).i32(rows).i32(columns).i32(firstRow).i32(firstColumn)
                .pointer(h.counts()).pointer(h.thresholdValues()).i32(h.thresholdCount()));
    }

    @Override
    public void histogramPairs(Tensor logits, Tensor same, ScoreHistogram into) {
        CudaBackend.requireSameSize(logits, same);
        CudaScoreHistogram h = cuda(into);
        if (logits.size() == 0) return;
        backend.launch(HISTOGRAM_PAIRS, counting(logits.size(), h), backend.args().pointer(backend.floats(logits))
                .pointer(backend.ints(same)).i64(logits.size())
                .pointer(h.counts()).pointer(h.thresholdValues()).i32(h.thresholdCount()));
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
        CudaScoreHistogram h = cuda(into);
        if (posterior.size() == 0) return;
        backend.launch(HISTOGRAM_POSTERIOR_TILE, counting(posterior.size(), h), backend.args().pointer(backend.floats(posterior))
                .pointer(orNull(logits)).pointer(orNull(reversed)).f32(priorShift).pointer(backend.ints(labels))
                .i32(rows).i32(columns).i32(firstRow).i32(firstColumn)
                .pointer(h.counts()).pointer(h.thresholdValues()).i32(h.thresholdCount()));
    }

    @Override
    public void histogramPosteriorPairs(Tensor posterior, Tensor logits, float priorShift, Tensor same, ScoreHistogram into) {
        CudaBackend.requireSameSize(posterior, same);
        if (logits != null) CudaBackend.requireSameSize(posterior, logits);
        CudaScoreHistogram h = cuda(into);
        if (posterior.size() == 0) return;
        backend.launch(HISTOGRAM_POSTERIOR_PAIRS, counting(posterior.size(), h), backend.args().pointer(backend.floats(posterior))
                .pointer(orNull(logits)).f32(priorShift).pointer(backend.ints(same)).i64(posterior.size())
                .pointer(h.counts()).pointer(h.thresholdValues()).i32(h.thresholdCount()));
    }

    /** A counting kernel's geometry: a grid-stride loop over the pairs, each block's confusion counters in shared memory. */
    private static Launch counting(long pairs, CudaScoreHistogram h) {
        return Launch.overElements(pairs).withShared(4 * (4 * h.thresholdCount() + 1));
    }

    /** The address of an optional float32 operand, 0 (null in the kernel) where absent. */
    private long orNull(Tensor t) {
        return t == null ? 0L : backend.floats(t);
    }

    private CudaScoreHistogram cuda(ScoreHistogram h) {
        if (h instanceof CudaScoreHistogram c) return c;
        throw new IllegalArgumentException("a score histogram of another backend: " + h);
    }
}
