package simil.scoring;

/** The logistic function, stable for large |z|: a logit becomes the probability that a pair is the same. */
public final class Sigmoid {
    private Sigmoid() {}

    public static float of(float z) {
        if (z >= 0) return (float) (1 / (1 + Math.exp(-z)));
        double e = Math.exp(z);
        return (float) (e / (1 + e));
    }
}
