package simil.evaluation;

import java.util.Arrays;
import simil.tensor.ScoreBins;

/**
 * A curve for plotting, as parallel arrays of x and y; built from a {@link ScoreAccumulator} with
 * one point per non-empty histogram bin (each a distinct threshold, from the highest), then thinned
 * to at most {@code maxPoints} + 2 points evenly spaced along the curve's length, so that the shape
 * survives where a fixed stride would drop a steep corner.
 */
public record Curve(double[] x, double[] y) {

    public Curve {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        }
    }

    public int size() {
        return x.length;
    }

    /** ROC curve: false positive rate (x) against true positive rate (y), from (0, 0) to (1, 1). */
    public static Curve roc(ScoreAccumulator scores, int maxPoints) {
        double positives = scores.positives(), negatives = scores.negatives();
        return sweep(scores, 0, 0, (tp, fp) -> new double[] {fp / negatives, tp / positives}, maxPoints);
    }

    /**
     * Precision-recall curve: recall (x) against precision (y) of "same", starting at recall 0 with
     * precision 1 as scikit-learn's {@code precision_recall_curve} does.
     */
    public static Curve precisionRecall(ScoreAccumulator scores, int maxPoints) {
        double positives = scores.positives();
        return sweep(scores, 0, 1, (tp, fp) -> new double[] {tp / positives, (double) tp / (tp + fp)}, maxPoints);
    }

    /** A point of a curve from the counts of pairs scored at or above a threshold. */
    private interface PointAt {
        double[] of(long truePositives, long falsePositives);
    }

    /** Lowers the threshold bin by bin from the top, adding one point per non-empty bin after (x0, y0). */
    private static Curve sweep(ScoreAccumulator scores, double x0, double y0, PointAt pointAt, int maxPoints) {
        Points points = new Points();
        points.add(x0, y0);
        long tp = 0, fp = 0;
        for (int bin = ScoreBins.COUNT - 1; bin >= 0; bin--) {
            long same = scores.sameInBin(bin), different = scores.differentInBin(bin);
            if (same + different > 0) {
                tp += same;
                fp += different;
                double[] p = pointAt.of(tp, fp);
                points.add(p[0], p[1]);
            }
        }
        return points.toCurve().thinned(maxPoints);
    }

    /** Keeps the first and last points and those where the length walked since the last kept one reaches length / maxPoints. */
    Curve thinned(int maxPoints) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be positive, got " + maxPoints);
        }
        if (size() <= maxPoints + 2) {
            return this;
        }
        double length = 0;
        for (int i = 1; i < size(); i++) {
            length += Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
        }
        double step = length / maxPoints;
        Points kept = new Points();
        kept.add(x[0], y[0]);
        double walked = 0;
        for (int i = 1; i < size() - 1; i++) {
            walked += Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
            if (walked >= step) {
                kept.add(x[i], y[i]);
                walked = 0;
            }
        }
        kept.add(x[size() - 1], y[size() - 1]);
        return kept.toCurve();
    }

    /** Growable pair of coordinate arrays. */
    private static final class Points {
        private double[] xs = new double[1024];
        private double[] ys = new double[1024];
        private int size;

        void add(double px, double py) {
            if (size == xs.length) {
                xs = Arrays.copyOf(xs, 2 * size);
                ys = Arrays.copyOf(ys, 2 * size);
            }
            xs[size] = px;
            ys[size] = py;
            size++;
        }

        Curve toCurve() {
            return new Curve(Arrays.copyOf(xs, size), Arrays.copyOf(ys, size));
        }
    }
}
