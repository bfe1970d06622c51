package simil.tensor;

/**
 * Pair scores from class posteriors, as every backend computes them (part of the op contract of
 * {@link PairScoringOps#histogramPosteriorTile} and {@link PairScoringOps#histogramPosteriorPairs}, like
 * {@link Sigmoid}): q = Σ_c p_a(c)·p_b(c), the probability that two images share a class when their classes are
 * drawn from the classifier's posteriors p_a and p_b.
 *
 * <p>Mixed with the metric network's logit z, the score is σ((z + logit(q) + ln(K − 1)) / 2) over K classes. Both
 * terms are log-odds of "same" on one scale: the metric network was trained on balanced pairs, so z is a log
 * likelihood ratio; q has the prior of a random pair, 1/K, and adding ln(K − 1) = −logit(1/K) takes that prior out,
 * leaving q's log likelihood ratio. Their mean is the geometric mean of the two odds, so either model's confident
 * "different" pulls the pair down; a mean of the probabilities would instead let the metric network's balanced
 * probabilities swamp q, which is about 1/K for most pairs. The shift is a constant, so it changes no ranking (AUC,
 * AP), only where 0.5 falls.
 */
public final class PosteriorScore {
    private PosteriorScore() {}

    /** q as a probability: a float sum of products can round a hair past 1. */
    public static float of(float q) {
        return q > 1f ? 1f : q;
    }

    /** ln(K − 1): the mixed score's shift for a classifier of {@code classes} outputs (2 or more). */
    public static float priorShift(int classes) {
        if (classes < 2) throw new IllegalArgumentException("a classifier of " + classes + " classes gives no posterior pair score");
        return (float) Math.log(classes - 1.0);
    }

    /**
     * The score of metric logit {@code z} mixed with posterior score {@code q}: σ of {@link #mixedLogOdds}, computed in
     * double and rounded once; NaN (a pair the histogram counts as invalid) where either is NaN.
     */
    public static float mixed(float z, float q, float priorShift) {
        double logOdds = mixedLogOdds(z, q, priorShift);
        if (logOdds >= 0) return (float) (1 / (1 + Math.exp(-logOdds)));
        double e = Math.exp(logOdds);
        return (float) (e / (1 + e));
    }

    /** (z + logit(q) + priorShift) / 2 in double, q taken into [0, 1]: ±∞ where q is 0 or 1, a ranking that does not saturate. */
    public static double mixedLogOdds(float z, float q, float priorShift) {
        return 0.5 * (z + logOdds(q) + priorShift);
    }

    /** logit(q) = ln q − ln(1 − q) in double, q taken into [0, 1]. */
    public static double logOdds(float q) {
        double p = Math.min(Math.max(q, 0.0), 1.0);
        return Math.log(p) - Math.log1p(-p);
    }
}
