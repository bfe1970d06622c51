package simil.tensor;

/**
 * The score histogram's bins: a monotone map from a probability in [0, 1] to a bin index, fine
 * enough that ROC AUC and average precision over 10^8 pairs come out exact to well under 1e-4.
 *
 * <p>Two regions, with the same resolution where they meet:
 * <ul>
 *   <li>[2^-10, 1]: uniform bins of width 2^-21 (about 4.8e-7), and 1.0 alone in the last bin;
 *   <li>[0, 2^-10): bins of 2^12 consecutive float values, i.e. a relative width of 2^-11, so
 *       that the mass of near-certain "different" scores that all-pairs evaluation piles up near 0
 *       stays ordered down to 1e-38 instead of collapsing into a few uniform bins.
 * </ul>
 * Every bin's lower edge is a float, and {@code score >= lowerEdge(k)} holds exactly when
 * {@code index(score) >= k}; so the confusion matrix at a bin edge, and a threshold chosen among
 * edges, are exact. Scores within one bin count as tied; {@code simil.evaluation.RankMetrics} reports a
 * bound on what that can change. Part of the op contract of {@link PairScoringOps#histogramTile}: every
 * backend bins a score exactly so.
 */
public final class ScoreBins {
    private ScoreBins() {}

    private static final int UNIFORM_BITS = 21;
    private static final float UNIFORM_SCALE = 1 << UNIFORM_BITS;
    /** Below this the uniform bins would be coarser, relative to the score, than the float bins. */
    private static final float LOW_REGION_END = 0x1.0p-10f;
    /** Float bit patterns shifted by this give the low region's bins: 23 - 12 = 11 mantissa bits kept. */
    private static final int LOW_SHIFT = 12;
    private static final int LOW_BINS = Float.floatToRawIntBits(LOW_REGION_END) >>> LOW_SHIFT;
    private static final int FIRST_UNIFORM = (int) (LOW_REGION_END * UNIFORM_SCALE);

    /** Number of bins. */
    public static final int COUNT = LOW_BINS + (1 << UNIFORM_BITS) - FIRST_UNIFORM + 1;

    /** Bin of a score in [0, 1] (the caller has checked the range). */
    public static int index(float score) {
        if (score >= LOW_REGION_END) {
            // Multiplying by a power of two is exact, so the cast is an exact floor.
            return LOW_BINS + (int) (score * UNIFORM_SCALE) - FIRST_UNIFORM;
        }
        // Adding +0.0 turns -0.0 into +0.0, whose bit pattern sorts with the other non-negatives.
        return Float.floatToRawIntBits(score + 0.0f) >>> LOW_SHIFT;
    }

    /** Smallest score that falls into bin {@code bin}. */
    public static float lowerEdge(int bin) {
        if (bin >= LOW_BINS) {
            return (bin - LOW_BINS + FIRST_UNIFORM) / UNIFORM_SCALE;
        }
        return Float.intBitsToFloat(bin << LOW_SHIFT);
    }
}
