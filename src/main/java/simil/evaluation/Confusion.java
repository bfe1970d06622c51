package simil.evaluation;

/**
 * Confusion matrix of the verdict "same" (predicted when score >= threshold) against the truth,
 * with the metrics derived from it for the positive class "same". A ratio whose denominator is
 * zero is 0, as scikit-learn's {@code zero_division} default reports it.
 */
public record Confusion(long tp, long fp, long tn, long fn) {

    public Confusion {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("negative count in " + tp + "/" + fp + "/" + tn + "/" + fn);
        }
    }

    public long positives() {
        return tp + fn;
    }

    public long negatives() {
        return tn + fp;
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    public double accuracy() {
        return ratio(tp + tn, total());
    }

    /** Mean of the recall of "same" and the recall of "different"; 0.5 for a constant verdict. */
    public double balancedAccuracy() {
        return (recall() + specificity()) / 2;
    }

    public double precision() {
        return ratio(tp, tp + fp);
    }

    /** Recall of "same" (true positive rate). */
    public double recall() {
        return ratio(tp, tp + fn);
    }

    /** Recall of "different" (true negative rate). */
    public double specificity() {
        return ratio(tn, tn + fp);
    }

    public double f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
