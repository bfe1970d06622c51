package simil.tensor;

/**
 * What the pair evaluators run on the backend. The metric network's second and third layers over a tile of
 * pairs in reduced precision: for rows i of {@code firstHalf} and j of {@code secondHalf} (the first layer's
 * per-image halves, bias included), logit(i, j) = w3 · relu(W2 · relu(firstHalf[i] + secondHalf[j]) + b2) + b3,
 * with W2 and h1 in int8 (the all-pairs evaluator, where the 1024×1024 product dominates; training stays fp32).
 * And the scores of tiles or lists of pairs counted into a {@link ScoreHistogram} where they were computed, so
 * that no logit comes back to the host: a pair's score is {@link Sigmoid#of} its logit (or a score from class
 * posteriors, {@link PosteriorScore}), binned by {@link ScoreBins#index}.
 */
public interface PairScoringOps {
    /**
     * Whether the kernel takes a hidden width {@code hidden} (its blocking); it runs only where the backend
     * {@linkplain Backend#supports supports} {@link Capability#INT8_PAIRS}.
     */
    boolean acceptsHidden(int hidden);

    /** W2 [H, H] (out × in), b2 [H], w3 [1, H], b3 [1] quantized once for {@link #scoreTile}. */
    QuantizedMetric quantize(Tensor w2, Tensor b2, Tensor w3, Tensor b3);

    /** logits[r · C + c] for every pair (firstHalf[r], secondHalf[c]), firstHalf [R, H], secondHalf [C, H]. */
    void scoreTile(Tensor firstHalf, Tensor secondHalf, QuantizedMetric metric, Tensor logits);

    /** An empty histogram on this backend, counting the confusion matrix at each of {@code thresholds} (each in [0, 1]). */
    ScoreHistogram histogram(float... thresholds);

    /**
     * Counts the pairs of a tile of {@code logits} [R · C] (row-major, C = {@code columns}) into {@code into}: entry
     * (r, c) is the ordered pair (i, j) = (firstRow + r, firstColumn + c) of the images whose class labels
     * {@code labels} (int32 [N]) holds; i = j is skipped. With {@code reversed} null, the pair's score is
     * σ(logits[r · C + c]), counted once. A symmetric network passes {@code reversed} [C · R], the tile scored
     * with the roles swapped (entry c · R + r is the logit of (j, i)): then only pairs with j > i count, with score
     * σ((logits[r · C + c] + reversed[c · R + r]) / 2) in float, twice (once for each order).
     */
    void histogramTile(Tensor logits, Tensor reversed, Tensor labels, int firstRow, int firstColumn, int columns,
                       ScoreHistogram into);

    /** Counts a list of pairs into {@code into}: pair k scores σ(logits[k]) and is "same" where {@code same[k]} (int32) ≠ 0. */
    void histogramPairs(Tensor logits, Tensor same, ScoreHistogram into);

    /**
     * Counts a tile of posterior pair scores into {@code into}: {@code posterior} [R · C] row-major (C = {@code columns}),
     * entry (r, c) the q = Σ_k p_i(k)·p_j(k) of images i = firstRow + r and j = firstColumn + c, which is q of (j, i) too.
     * With {@code logits} null the score is {@link PosteriorScore#of}(q), and only pairs with j > i count, twice. Else
     * each pair's score is {@link PosteriorScore#mixed}(z, q, {@code priorShift}), with z the metric network's logit as
     * {@link #histogramTile} takes it: {@code logits} [R · C], and with {@code reversed} the mean of both orders (pairs
     * j > i, counted twice); without, every pair i ≠ j once.
     */
    void histogramPosteriorTile(Tensor posterior, Tensor logits, Tensor reversed, float priorShift, Tensor labels,
                                int firstRow, int firstColumn, int columns, ScoreHistogram into);

    /**
     * Counts a list of pairs into {@code into}: pair k has posterior score {@code posterior[k]} and is "same" where
     * {@code same[k]} (int32) ≠ 0; scored {@link PosteriorScore#of}(q), or with {@code logits}
     * {@link PosteriorScore#mixed}(logits[k], q, {@code priorShift}).
     */
    void histogramPosteriorPairs(Tensor posterior, Tensor logits, float priorShift, Tensor same, ScoreHistogram into);
}
