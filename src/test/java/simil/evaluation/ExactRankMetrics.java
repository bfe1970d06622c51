package simil.evaluation;

import java.util.Arrays;
import java.util.Comparator;

/** Reference AUC and AP over unbinned scores by sorting, as scikit-learn computes them. */
final class ExactRankMetrics {
    private ExactRankMetrics() {}

    /** Mann-Whitney: average ranks, ties counting 1/2. */
    static double auc(float[] scores, boolean[] same) {
        Integer[] order = ascending(scores);
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (same[order[k]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j;
        }
        long negatives = scores.length - positives;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Step-wise average precision over distinct thresholds, from the highest. */
    static double averagePrecision(float[] scores, boolean[] same) {
        Integer[] order = ascending(scores);
        long positives = 0;
        for (boolean s : same) {
            positives += s ? 1 : 0;
        }
        double ap = 0;
        long tp = 0;
        long fp = 0;
        int i = order.length - 1;
        while (i >= 0) {
            int j = i;
            long tiedPositives = 0;
            while (j >= 0 && scores[order[j]] == scores[order[i]]) {
                if (same[order[j]]) {
                    tiedPositives++;
                    tp++;
                } else {
                    fp++;
                }
                j--;
            }
            ap += (double) tiedPositives / positives * tp / (tp + fp);
            i = j;
        }
        return ap;
    }

    private static Integer[] ascending(float[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, k -> k);
        Arrays.sort(order, Comparator.comparingDouble(k -> scores[k]));
        return order;
    }
}
