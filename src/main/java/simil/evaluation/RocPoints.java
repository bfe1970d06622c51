package simil.evaluation;

import simil.tensor.ScoreBins;

/**
 * Points of the ROC that matter when same-class pairs are rare (0.49% of all ordered pairs): the true positive rate
 * at a false positive rate of 1e-3 and of 1e-2, and the equal error rate. Read off the histogram of a
 * {@link ScoreAccumulator} with each non-empty bin's lower edge as a threshold, as {@link ThresholdChoice} does.
 *
 * @param tprAtFpr1e3  the highest TPR among thresholds whose FPR is at most 1e-3 (no interpolation: a threshold that
 *                     reaches it exists)
 * @param tprAtFpr1e2  the same at an FPR of at most 1e-2
 * @param eer          the rate where FPR equals the false negative rate 1 - TPR, linearly interpolated between the
 *                     two thresholds around the crossing
 * @param eerThreshold the lower of those two thresholds
 */
public record RocPoints(double tprAtFpr1e3, double tprAtFpr1e2, double eer, float eerThreshold) {

    /** Requires at least one "same" and one "different" pair. */
    public static RocPoints of(ScoreAccumulator scores) {
        long positives = scores.positives(), negatives = scores.negatives();
        if (positives == 0 || negatives == 0) {
            throw new IllegalStateException("ROC points need both classes; got " + positives + " same and " + negatives + " different pairs");
        }
        double tpr1e3 = 0, tpr1e2 = 0, eer = Double.NaN;
        float eerThreshold = 0;
        // The threshold above every score: nothing is "same", FPR 0, FNR 1.
        double previousFpr = 0, previousFnr = 1;
        long tp = 0, fp = 0;
        for (int bin = ScoreBins.COUNT - 1; bin >= 0; bin--) {
            long same = scores.sameInBin(bin), different = scores.differentInBin(bin);
            if (same + different == 0) continue;
            tp += same;
            fp += different;
            double tpr = (double) tp / positives, fpr = (double) fp / negatives, fnr = 1 - tpr;
            if (fpr <= 1e-3) tpr1e3 = tpr;
            if (fpr <= 1e-2) tpr1e2 = tpr;
            if (Double.isNaN(eer) && fpr >= fnr) {
                // FPR - FNR goes from below 0 (previous threshold) to at least 0 (this one): where the segment crosses 0.
                double before = previousFpr - previousFnr, after = fpr - fnr;
                double t = after == before ? 0 : -before / (after - before);
                eer = previousFpr + t * (fpr - previousFpr);
                eerThreshold = ScoreBins.lowerEdge(bin);
            }
            previousFpr = fpr;
            previousFnr = fnr;
        }
        return new RocPoints(tpr1e3, tpr1e2, eer, eerThreshold);
    }
}
