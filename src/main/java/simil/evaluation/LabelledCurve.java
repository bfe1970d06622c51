package simil.evaluation;

import java.util.Locale;

/**
 * A curve as one line of a plot: its legend label and the summary printed next to it (the AUC of a
 * ROC curve, the average precision of a precision-recall curve), which is computed from the full
 * histogram rather than from the thinned points, and optionally the operating point marked on it.
 *
 * @param operatingPoint where the decision threshold puts the model on the curve; null for none
 */
public record LabelledCurve(String label, Curve curve, double summary, OperatingPoint operatingPoint) {

    /** Points kept per curve: plenty for an 800-pixel-wide figure. */
    public static final int PLOT_POINTS = 2000;

    /** A point of the curve at a decision threshold, labelled with it. */
    public record OperatingPoint(double x, double y, float threshold) {
        String label() {
            return String.format(Locale.ROOT, "threshold %.3f", threshold);
        }
    }

    public static LabelledCurve roc(String label, ScoreAccumulator scores) {
        return new LabelledCurve(label, Curve.roc(scores, PLOT_POINTS), RankMetrics.of(scores).auc(), null);
    }

    /** The ROC with the point at {@code threshold}, one the scores counted exactly: (FPR, TPR). */
    public static LabelledCurve roc(String label, ScoreAccumulator scores, float threshold) {
        Confusion c = scores.confusionAt(threshold);
        return new LabelledCurve(label, Curve.roc(scores, PLOT_POINTS), RankMetrics.of(scores).auc(),
                new OperatingPoint(1 - c.specificity(), c.recall(), threshold));
    }

    public static LabelledCurve precisionRecall(String label, ScoreAccumulator scores) {
        return new LabelledCurve(label, Curve.precisionRecall(scores, PLOT_POINTS), RankMetrics.of(scores).ap(), null);
    }

    /** The precision-recall curve with the point at {@code threshold}: (recall, precision). */
    public static LabelledCurve precisionRecall(String label, ScoreAccumulator scores, float threshold) {
        Confusion c = scores.confusionAt(threshold);
        return new LabelledCurve(label, Curve.precisionRecall(scores, PLOT_POINTS), RankMetrics.of(scores).ap(),
                new OperatingPoint(c.recall(), c.precision(), threshold));
    }
}
