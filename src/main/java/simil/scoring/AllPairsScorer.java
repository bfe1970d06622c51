package simil.scoring;

import simil.evaluation.ScoreAccumulator;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Capability;
import simil.tensor.PosteriorScore;
import simil.tensor.ScoreHistogram;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/**
 * Scores every ordered pair (i, j), i ≠ j, of a set of embedded images without materializing a pair.
 * The metric network's first layer is split, W·[a ; b] + c = (W_a·a + c) + W_b·b, and each half is
 * computed once per image; a tile of R×C pairs then costs one elementwise pass for the first layer
 * and one matrix product for the second. Each tile's scores are counted into a histogram on the backend
 * ({@link simil.tensor.PairScoringOps#histogramTile}), whose counts join a {@link ScoreAccumulator} at the end. A
 * {@linkplain MetricNetwork#symmetric() symmetric} network's score, the mean of both orders' logits, is
 * computed once per unordered pair and counted for both ordered pairs.
 *
 * <p>{@link Precision#INT8} runs the second and third layers through the backend's fused int8 kernel
 * ({@link simil.tensor.PairScoringOps}); where the backend lacks {@link Capability#INT8_PAIRS} it falls back to fp32
 * ({@link #effectivePrecision}).
 *
 * <p>A {@link Scorer} that uses class posteriors P [N, K] scores a tile by one more matrix product, P_rows·P_colsᵀ,
 * whose entry (i, j) is q of both orders; it is counted with the metric network's logits where the scorer mixes them
 * ({@link simil.tensor.PairScoringOps#histogramPosteriorTile}). Posteriors alone skip the metric network and count
 * each unordered pair twice.
 */
public final class AllPairsScorer {
    /** Pairs per tile: rows × columns; 8 × 1024 keeps the fp32 hidden activations (2 × 32 MiB) in memory bounds. */
    private static final int TILE_ROWS = 8, TILE_COLS = 1024;

    /** Where the blocks of {@link #scoreBlock} may start and end (besides the set's end). */
    public static final int BLOCK_ALIGNMENT = SplitFirstLayer.ROWS;

    /** Arithmetic of the layers after the first. */
    public enum Precision {
        /** fp32 throughout (sgemm): the reference. */
        FP32,
        /** W2 s8 per output row, h1 u8 per pair, exact int32 sums; several times the fp32 speed. */
        INT8
    }

    /**
     * What {@code simil eval --pairs all} uses unless told otherwise: int8, because its effect on the
     * ranking metrics is far below their reporting precision. Measured on a trained MatchNet (quick recipe,
     * 20 classes, all 249,500 ordered pairs of a 500-image holdout): AUC 0.630109 vs 0.630111 in fp32
     * (ΔAUC −2.9e−6), AP +1.3e−6, confusion counts within 6 of 249,500 at the chosen threshold; on the synthetic
     * problem of AllPairsScorerInt8Test ΔAUC is 1.1e−5. {@code --precision fp32} gives the exact scores.
     */
    public static final Precision DEFAULT = Precision.INT8;

    private final Backend backend;
    private final MetricNetwork metric;
    private final Scorer scorer;
    private final Precision precision;

    /** Scores by the metric network. */
    public AllPairsScorer(MetricNetwork metric, Backend backend, Precision precision) {
        this(metric, Scorer.METRIC, backend, precision);
    }

    /** Scores by {@code scorer}; the metric network's arithmetic is {@code precision} (none runs for POSTERIOR: null will do). */
    public AllPairsScorer(MetricNetwork metric, Scorer scorer, Backend backend, Precision precision) {
        this.metric = metric;
        this.scorer = scorer;
        this.backend = backend;
        this.precision = scorer.usesMetric() ? PairTiles.effective(metric, backend, precision) : Precision.FP32;
    }

    /** The precision that scores run with: the requested one, or FP32 where int8 is unavailable (or no metric network scores). */
    public Precision effectivePrecision() { return precision; }

    /** Called after each row block: rows done and pairs scored so far. */
    @FunctionalInterface
    public interface Progress {
        void update(int rowsDone, long pairsScored);
    }

    /** Scores all ordered pairs of {@code embeddings} [N, F] with class {@code labels} by the metric network; returns the pair count. */
    public long score(Tensor embeddings, int[] labels, ScoreAccumulator scores, Progress progress) {
        return score(embeddings, null, labels, scores, progress);
    }

    /**
     * Scores all ordered pairs of N images with class {@code labels}: from their {@code embeddings} [N, F] where the
     * scorer uses the metric network, and from their class {@code posteriors} [N, K] where it uses them (either may be
     * null where unused). Returns the pair count.
     */
    public long score(Tensor embeddings, Tensor posteriors, int[] labels, ScoreAccumulator scores, Progress progress) {
        checkOperands(embeddings, posteriors);
        Operands all = operands(embeddings, posteriors);
        Tensor labelIds = backend.fromIntArray(labels, labels.length);
        // Only the histogram's counts come back to the host, once, at the end; no logit does.
        try (ScoreHistogram histogram = backend.pairScoring().histogram(scores.thresholds())) {
            long scored = scoreBlock(all, 0, all, 0, counting(labelIds, classes(all), histogram), progress);
            scores.add(histogram.read());
            return scored;
        }
    }

    /**
     * Scores the ordered pairs (i, j), i ≠ j, of one block of a set of N images into {@code histogram}, as {@link #score}
     * counts them (a symmetric score: only j > i, twice): rows i in [firstRow, firstRow + R) and columns j in
     * [firstColumn, firstColumn + C), from those rows' embeddings [R, F] and posteriors [R, K] and those columns' [C, F] and
     * [C, K] alone (each null where the scorer does not use it); {@code labels} (int32 [N]) are the whole set's. Each range
     * starts at a multiple of {@link #BLOCK_ALIGNMENT} and ends at one or at N. Then, in {@link Precision#INT8}, the blocks
     * of a partition of [0, N)² together count what {@link #score} counts, bin for bin: a row's first-layer half comes out
     * the same bits ({@link SplitFirstLayer}) and a pair's int8 logit does not depend on the tile it is computed in. In fp32
     * it can, in its last bits (the tile's matrix product may round by the tile's shape), so a pair near a bin edge may
     * land in the next bin. Posteriors are the caller's. Returns the pairs counted.
     */
    public long scoreBlock(Tensor rowEmbeddings, Tensor rowPosteriors, int firstRow, Tensor columnEmbeddings, Tensor columnPosteriors,
                           int firstColumn, Tensor labels, ScoreHistogram histogram) {
        checkOperands(rowEmbeddings, rowPosteriors);
        checkOperands(columnEmbeddings, columnPosteriors);
        Operands rows = operands(rowEmbeddings, rowPosteriors), columns = operands(columnEmbeddings, columnPosteriors);
        checkAligned("rows", firstRow, rows.count(), labels.size());
        checkAligned("columns", firstColumn, columns.count(), labels.size());
        return scoreBlock(rows, firstRow, columns, firstColumn, counting(labels, classes(rows), histogram), null);
    }

    /** Receives the ordered pairs a block scores at or above a probability: images i and j, and the pair's score. */
    @FunctionalInterface
    public interface PairSink {
        void accept(int i, int j, float probability);
    }

    /**
     * Every ordered pair (i, j), i ≠ j, of a block of a set of {@code setSize} images (rows and columns as for
     * {@link #scoreBlock}) whose score by the metric network is at least {@code probability}, each given to {@code sink}
     * once (for a symmetric network both orders, from one score): the pairs an all-pairs evaluation counts as predicted
     * "same" at that threshold. Unlike counting, this brings each tile's logits to the host. Returns the pairs scored.
     */
    public long pairsAbove(Tensor rowEmbeddings, int firstRow, Tensor columnEmbeddings, int firstColumn, int setSize, float probability,
                           PairSink sink) {
        if (scorer != Scorer.METRIC) throw new IllegalArgumentException("pairs above a probability by scorer " + scorer.cliName() + ": metric only");
        Operands rows = operands(rowEmbeddings, null), columns = operands(columnEmbeddings, null);
        checkAligned("rows", firstRow, rows.count(), setSize);
        checkAligned("columns", firstColumn, columns.count(), setSize);
        return scoreBlock(rows, firstRow, columns, firstColumn, (z, zr, q, i0, j0, width) -> {
            float[] forward = backend.toArray(z), backward = zr == null ? null : backend.toArray(zr);
            int height = forward.length / width;
            for (int r = 0; r < height; r++) {
                int i = i0 + r;
                // As PairScoringOps#histogramTile scores them: σ of the logit, or of both orders' mean (pairs j > i).
                for (int c = backward == null ? 0 : Math.max(0, i + 1 - j0); c < width; c++) {
                    int j = j0 + c;
                    if (i == j) continue;
                    float score = Sigmoid.of(backward == null ? forward[r * width + c] : 0.5f * (forward[r * width + c] + backward[c * height + r]));
                    if (!(score >= probability)) continue;
                    sink.accept(i, j, score);
                    if (backward != null) sink.accept(j, i, score);
                }
            }
        }, null);
    }

    private static void checkAligned(String what, int first, int count, int n) {
        int end = first + count;
        if (first < 0 || first % BLOCK_ALIGNMENT != 0 || end > n || (end % BLOCK_ALIGNMENT != 0 && end != n)) {
            throw new IllegalArgumentException(what + " [" + first + ", " + end + ") of " + n + ": a block must start at a multiple of "
                    + BLOCK_ALIGNMENT + " and end at one or at the set's end");
        }
    }

    private void checkOperands(Tensor embeddings, Tensor posteriors) {
        if (scorer.usesMetric() == (embeddings == null) || scorer.usesPosterior() == (posteriors == null)) {
            throw new IllegalArgumentException("scorer " + scorer.cliName() + " with embeddings " + embeddings + " and posteriors " + posteriors);
        }
    }

    /** What a set of images brings to its pairs: its first-layer halves where the metric network scores, its posteriors where they do. */
    private record Operands(int count, Tensor firstHalf, Tensor secondHalf, Tensor posteriors) {}

    private Operands operands(Tensor embeddings, Tensor posteriors) {
        boolean metricScores = scorer.usesMetric();
        return new Operands(metricScores ? embeddings.dim(0) : posteriors.dim(0),
                metricScores ? SplitFirstLayer.firstHalf(metric, backend, embeddings) : null,
                metricScores ? SplitFirstLayer.secondHalf(metric, backend, embeddings) : null, posteriors);
    }

    /**
     * What becomes of a tile's scores: the metric network's logits {@code z} [R · C] row-major (C = {@code columns}) and,
     * for a symmetric network, {@code zr} [C · R] with the roles swapped, and the posterior scores {@code q} [R · C] (each
     * null where unused), for images i = firstRow + r and j = firstColumn + c.
     */
    @FunctionalInterface
    private interface TileSink {
        void accept(Tensor z, Tensor zr, Tensor q, int firstRow, int firstColumn, int columns);
    }

    /** Classes of the posteriors a set brings (0 without). */
    private static int classes(Operands set) {
        return set.posteriors() == null ? 0 : set.posteriors().dim(1);
    }

    /** A sink that counts each tile into {@code histogram} on the backend, by the images' class {@code labels}. */
    private TileSink counting(Tensor labels, int classes, ScoreHistogram histogram) {
        float priorShift = scorer == Scorer.BOTH ? PosteriorScore.priorShift(classes) : 0f;
        return (z, zr, q, i0, j0, columns) -> {
            if (q != null) backend.pairScoring().histogramPosteriorTile(q, z, zr, priorShift, labels, i0, j0, columns, histogram);
            else backend.pairScoring().histogramTile(z, zr, labels, i0, j0, columns, histogram);
        };
    }

    /** The pairs of {@code rows} (images firstRow + r) with {@code columns} (images firstColumn + c), tile by tile, into {@code sink}. */
    private long scoreBlock(Operands rows, int firstRow, Operands columns, int firstColumn, TileSink sink, Progress progress) {
        int maxPairs = TILE_ROWS * TILE_COLS;
        Tensor logits = null, reversed = null, q = null;
        PairTiles tiles = null;
        if (scorer.usesMetric()) {
            tiles = new PairTiles(metric, backend, precision, maxPairs);
            logits = backend.zeros(maxPairs);
            if (metric.symmetric()) reversed = backend.zeros(maxPairs);
        }
        int classes = classes(rows);
        if (scorer.usesPosterior()) q = backend.zeros(maxPairs);
        // Posteriors alone, or a symmetric metric network, give (i, j) and (j, i) one score.
        boolean symmetric = !scorer.usesMetric() || metric.symmetric();
        long scored = 0;
        for (int r0 = 0; r0 < rows.count(); r0 += TILE_ROWS) {
            int r1 = Math.min(rows.count(), r0 + TILE_ROWS);
            // A symmetric score is the same for (i, j) and (j, i): each unordered pair is scored once, in both
            // orders, and counted twice, so the work equals that of scoring every ordered pair in one order.
            for (int c0 = symmetric ? Math.max(0, firstRow + r0 - firstColumn) : 0; c0 < columns.count(); c0 += TILE_COLS) {
                int c1 = Math.min(columns.count(), c0 + TILE_COLS), pairs = (r1 - r0) * (c1 - c0);
                Tensor z = null, zr = null, qt = null;
                if (tiles != null) {
                    z = logits.slice(0, pairs);
                    tiles.score(rows.firstHalf().slice(r0, r1), columns.secondHalf().slice(c0, c1), z);
                    if (reversed != null) {
                        zr = reversed.slice(0, pairs);
                        tiles.score(columns.firstHalf().slice(c0, c1), rows.secondHalf().slice(r0, r1), zr);
                    }
                }
                if (q != null) {
                    qt = q.slice(0, pairs);
                    backend.blas().gemm(false, true, r1 - r0, c1 - c0, classes, 1f, rows.posteriors(), r0 * classes, classes,
                            columns.posteriors(), c0 * classes, classes, 0f, qt, 0, c1 - c0);
                }
                sink.accept(z, zr, qt, firstRow + r0, firstColumn + c0, c1 - c0);
                scored += pairsCounted(firstRow + r0, firstRow + r1, firstColumn + c0, firstColumn + c1, symmetric);
            }
            if (progress != null) progress.update(r1, scored);
        }
        return scored;
    }

    /** Ordered pairs that {@link simil.tensor.PairScoringOps#histogramTile} counts in the tile [r0, r1) × [c0, c1). */
    private static long pairsCounted(int r0, int r1, int c0, int c1, boolean symmetric) {
        long count = 0;
        for (int i = r0; i < r1; i++) {
            count += symmetric ? 2L * Math.max(0, c1 - Math.max(c0, i + 1)) : (c1 - c0) - (i >= c0 && i < c1 ? 1 : 0);
        }
        return count;
    }
}
