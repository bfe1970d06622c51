package simil.tensor;

/**
 * The logistic function, stable for large |z|, in double and rounded once to float: a logit becomes the probability
 * that a pair is the same. Part of the op contract of {@link PairScoringOps#histogramTile}: every backend turns a
 * logit into a probability exactly so, so that its histograms equal the host's.
 */
public final class Sigmoid {
    private Sigmoid() {}

    public static float of(float z) {
        if (z >= 0) return (float) (1 / (1 + Math.exp(-z)));
        double e = Math.exp(z);
        return (float) (e / (1 + e));
    }
}
