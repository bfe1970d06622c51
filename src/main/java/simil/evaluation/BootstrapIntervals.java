package simil.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;
import simil.tensor.ScoreBins;

/**
 * Bootstrap 95% confidence intervals of the AUC and of the balanced accuracy at a threshold: the scored pairs are
 * resampled with replacement {@code resamples} times (each resample as many pairs as there were), both metrics are
 * computed on each (a resample lacking a class is drawn again), and the interval runs from the 2.5th to the 97.5th
 * percentile. The pairs are rebuilt from the
 * {@link ScoreAccumulator}'s histogram, each with its bin and its verdict at the threshold (exact: the verdicts of the
 * one bin the threshold may cut are the counted confusion matrix's), so a resample's AUC is computed as
 * {@link RankMetrics} computes the AUC. Meant for the balanced evaluation pairs, which are few and nearly
 * independent; every ordered pair of a split is neither.
 */
public record BootstrapIntervals(double aucLow, double aucHigh, double balancedAccuracyLow, double balancedAccuracyHigh,
                                 int resamples) {
    /** Resamples of the report: the percentiles move by about 0.1 of the interval's width between seeds. */
    public static final int RESAMPLES = 1000;

    /** The intervals for {@code scores}' pairs, the balanced accuracy at {@code threshold} (one the scores counted). */
    public static BootstrapIntervals of(ScoreAccumulator scores, float threshold, int resamples, long seed) {
        Confusion atThreshold = scores.confusionAt(threshold);
        if (atThreshold.positives() == 0 || atThreshold.negatives() == 0) {
            throw new IllegalStateException("confidence intervals need both classes; got " + atThreshold.positives() + " same and "
                    + atThreshold.negatives() + " different pairs");
        }
        long total = scores.positives() + scores.negatives();
        if (total > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("too many pairs to resample: " + total);
        int thresholdBin = ScoreBins.index(threshold);
        // Non-empty bins in ascending order, renumbered 0..K-1.
        int[] bins = new int[ScoreBins.COUNT];
        int k = 0;
        long sameAbove = 0, differentAbove = 0;
        for (int bin = 0; bin < ScoreBins.COUNT; bin++) {
            if (scores.sameInBin(bin) + scores.differentInBin(bin) > 0) bins[k++] = bin;
            if (bin > thresholdBin) {
                sameAbove += scores.sameInBin(bin);
                differentAbove += scores.differentInBin(bin);
            }
        }
        int distinct = k;
        // Of the threshold's own bin, this many pairs of each class are at or above it (the counted confusion says).
        long sameCut = atThreshold.tp() - sameAbove, differentCut = atThreshold.fp() - differentAbove;
        // Each pair as (rank << 2) | (same << 1) | (verdict "same").
        int[] pairs = new int[(int) total];
        int n = 0;
        for (int r = 0; r < distinct; r++) {
            int bin = bins[r];
            long same = scores.sameInBin(bin), different = scores.differentInBin(bin);
            for (long i = 0; i < same; i++) {
                boolean verdict = bin > thresholdBin || (bin == thresholdBin && i < sameCut);
                pairs[n++] = r << 2 | 2 | (verdict ? 1 : 0);
            }
            for (long i = 0; i < different; i++) {
                boolean verdict = bin > thresholdBin || (bin == thresholdBin && i < differentCut);
                pairs[n++] = r << 2 | (verdict ? 1 : 0);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] sameCounts = new long[distinct], differentCounts = new long[distinct];
        double[] aucs = new double[resamples], balancedAccuracies = new double[resamples];
        for (int s = 0; s < resamples; s++) {
            Arrays.fill(sameCounts, 0);
            Arrays.fill(differentCounts, 0);
            long tp = 0, fp = 0;
            for (int i = 0; i < n; i++) {
                int pair = pairs[random.nextInt(n)];
                boolean same = (pair & 2) != 0, verdict = (pair & 1) != 0;
                if (same) {
                    sameCounts[pair >>> 2]++;
                    if (verdict) tp++;
                } else {
                    differentCounts[pair >>> 2]++;
                    if (verdict) fp++;
                }
            }
            long positives = 0, negatives = 0, twiceWins = 0;
            for (int r = 0; r < distinct; r++) {
                twiceWins += 2 * sameCounts[r] * negatives + sameCounts[r] * differentCounts[r];
                positives += sameCounts[r];
                negatives += differentCounts[r];
            }
            // A resample without one of the classes has neither metric: it is drawn again (rare but for tiny sets).
            if (positives == 0 || negatives == 0) {
                s--;
                continue;
            }
            aucs[s] = twiceWins / (2.0 * positives * negatives);
            balancedAccuracies[s] = ((double) tp / positives + (double) (negatives - fp) / negatives) / 2;
        }
        return new BootstrapIntervals(percentile(aucs, 0.025), percentile(aucs, 0.975), percentile(balancedAccuracies, 0.025),
                percentile(balancedAccuracies, 0.975), resamples);
    }

    /** How the intervals were computed, for the report's {@code ci_method}. */
    public String method() {
        return "bootstrap: " + resamples + " resamples of the pairs with replacement, 2.5th to 97.5th percentile";
    }

    private static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }
}
