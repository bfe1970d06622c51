package simil.evaluation;

import simil.tensor.ScoreBins;

/**
 * Chooses the decision threshold on a validation split, to be applied unchanged to the split under
 * evaluation. Balanced accuracy is the criterion because all-pairs evaluation is about 99% "different":
 * plain accuracy would be maximized by never saying "same".
 */
public final class ThresholdChoice {
    private ThresholdChoice() {}

    /**
     * The threshold maximizing balanced accuracy on {@code validation}, exactly (not approximately)
     * over all distinct decisions the data allow: every candidate is the lower edge of a non-empty
     * histogram bin, so "score >= threshold" splits the validation pairs exactly as the histogram
     * does. Among equally good thresholds the highest wins. Requires both classes.
     */
    public static float maximizingBalancedAccuracy(ScoreAccumulator validation) {
        long positives = validation.positives();
        long negatives = validation.negatives();
        if (positives == 0 || negatives == 0) {
            throw new IllegalStateException("choosing a threshold needs both classes; got " + positives
                    + " same and " + negatives + " different pairs");
        }
        // Candidates only: a threshold above every score would exceed 1, outside the score range.
        double best = Double.NEGATIVE_INFINITY;
        float bestThreshold = 0f;
        long tp = 0;
        long fp = 0;
        for (int bin = ScoreBins.COUNT - 1; bin >= 0; bin--) {
            long same = validation.sameInBin(bin);
            long different = validation.differentInBin(bin);
            if (same + different == 0) {
                continue;
            }
            tp += same;
            fp += different;
            double balancedAccuracy = ((double) tp / positives + (double) (negatives - fp) / negatives) / 2;
            if (balancedAccuracy > best) {
                best = balancedAccuracy;
                bestThreshold = ScoreBins.lowerEdge(bin);
            }
        }
        return bestThreshold;
    }
}
