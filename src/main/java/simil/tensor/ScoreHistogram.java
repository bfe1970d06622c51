package simil.tensor;

/**
 * Counts of scored pairs that a backend keeps where it computes, so that an all-pairs evaluation copies only
 * the counts back, once, at the end ({@link #read}): per {@link ScoreBins} bin, how many "same" and how many
 * "different" pairs scored in it, and the exact confusion matrix at each of {@link #thresholds()}. Made by
 * {@link PairScoringOps#histogram}, filled by {@link PairScoringOps#histogramTile} and
 * {@link PairScoringOps#histogramPairs}; {@link #close()} frees what it holds.
 */
public interface ScoreHistogram extends AutoCloseable {
    /** The thresholds whose confusion matrices are counted ("same" predicted when score ≥ threshold). */
    float[] thresholds();

    /** The counts so far, copied to the host. */
    Counts read();

    @Override
    void close();

    /**
     * @param same      [ScoreBins.COUNT]: "same" pairs per bin
     * @param different [ScoreBins.COUNT]: "different" pairs per bin
     * @param confusion [4 · thresholds]: per threshold t, at 4t + 2 · (predicted "different") + (truly "different"),
     *                  that is tp, fp, fn, tn
     * @param invalid   pairs whose score was no probability in [0, 1] (a NaN logit), counted nowhere else
     */
    record Counts(float[] thresholds, long[] same, long[] different, long[] confusion, long invalid) {}
}
