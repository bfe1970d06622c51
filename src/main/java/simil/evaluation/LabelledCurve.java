package simil.evaluation;

/**
 * A curve as one line of a plot: its legend label and the summary printed next to it (the AUC of a
 * ROC curve, the average precision of a precision-recall curve), which is computed from the full
 * histogram rather than from the thinned points.
 */
public record LabelledCurve(String label, Curve curve, double summary) {

    /** Points kept per curve: plenty for an 800-pixel-wide figure. */
    public static final int PLOT_POINTS = 2000;

    public static LabelledCurve roc(String label, ScoreAccumulator scores) {
        return new LabelledCurve(label, Curve.roc(scores, PLOT_POINTS), RankMetrics.of(scores).auc());
    }

    public static LabelledCurve precisionRecall(String label, ScoreAccumulator scores) {
        return new LabelledCurve(label, Curve.precisionRecall(scores, PLOT_POINTS), RankMetrics.of(scores).ap());
    }
}
