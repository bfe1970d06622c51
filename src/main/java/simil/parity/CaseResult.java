package simil.parity;

import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one {@link ParityCase}: the largest absolute and relative errors over every float output, the case's
 * tolerance (the loosest its outputs are held to; some are held tighter), and whether every output (integer ones exactly) was within it. The relative error counts elements whose
 * reference exceeds the absolute tolerance (below it the absolute bound rules). {@code detail} names the first output
 * out of tolerance and its worst element, or the exception, or why the case was skipped.
 */
public record CaseResult(String op, double maxAbs, double maxRel, Tolerance tolerance, Status status, String detail,
                         double seconds) {
    public enum Status { PASS, FAIL, SKIPPED }

    public boolean failed() { return status == Status.FAIL; }

    static CaseResult skipped(String op, Tolerance tolerance, String why) {
        return new CaseResult(op, 0, 0, tolerance, Status.SKIPPED, why, 0);
    }

    static CaseResult failed(String op, Tolerance tolerance, String why, double seconds) {
        return new CaseResult(op, Double.NaN, Double.NaN, tolerance, Status.FAIL, why, seconds);
    }

    /** Compares every output of {@code got} with {@code expected}, which must name the same outputs of the same sizes. */
    static CaseResult compare(String op, Tolerance tolerance, Outputs expected, Outputs got, double seconds) {
        Map<String, Outputs.Value> want = expected.values(), have = got.values();
        if (want.isEmpty()) throw new IllegalStateException(op + " recorded no output");
        if (!want.keySet().equals(have.keySet())) {
            return failed(op, tolerance, "outputs " + have.keySet() + ", expected " + want.keySet(), seconds);
        }
        double maxAbs = 0, maxRel = 0;
        String firstFailure = null;
        for (Map.Entry<String, Outputs.Value> e : want.entrySet()) {
            String name = e.getKey();
            Outputs.Value a = e.getValue(), b = have.get(name);
            String failure;
            if (a instanceof Outputs.Floats fa && b instanceof Outputs.Floats fb) {
                Errors errors = floatErrors(fa.values(), fb.values(), fa.tolerance());
                maxAbs = Math.max(maxAbs, errors.abs);
                maxRel = Math.max(maxRel, errors.rel);
                failure = errors.failure;
            } else if (a instanceof Outputs.Ints ia && b instanceof Outputs.Ints ib) {
                long[] x = new long[ia.values().length], y = new long[ib.values().length];
                for (int i = 0; i < x.length; i++) x[i] = ia.values()[i];
                for (int i = 0; i < y.length; i++) y[i] = ib.values()[i];
                failure = exactFailure(x, y);
            } else if (a instanceof Outputs.Longs la && b instanceof Outputs.Longs lb) {
                failure = exactFailure(la.values(), lb.values());
            } else {
                failure = "of another type";
            }
            if (failure != null && firstFailure == null) firstFailure = name + ": " + failure;
        }
        return new CaseResult(op, maxAbs, maxRel, tolerance, firstFailure == null ? Status.PASS : Status.FAIL,
                firstFailure == null ? "" : firstFailure, seconds);
    }

    /** Compares two float series that are not op outputs (loss curves) within {@code tolerance}. */
    static CaseResult compare(String op, Tolerance tolerance, float[] expected, float[] got, double seconds) {
        Errors e = floatErrors(expected, got, tolerance);
        return new CaseResult(op, e.abs, e.rel, tolerance, e.failure == null ? Status.PASS : Status.FAIL,
                e.failure == null ? "" : e.failure, seconds);
    }

    private record Errors(double abs, double rel, String failure) {}

    private static Errors floatErrors(float[] want, float[] have, Tolerance tolerance) {
        if (want.length != have.length) return new Errors(Double.NaN, Double.NaN, have.length + " elements, expected " + want.length);
        double maxAbs = 0, maxRel = 0, worstExcess = 0;
        int worst = -1;
        for (int i = 0; i < want.length; i++) {
            float w = want[i], h = have[i];
            if (!tolerance.accepts(w, h)) {
                double excess = Double.isFinite((double) h - w) ? Math.abs((double) h - w) / (tolerance.abs() + tolerance.rel() * Math.abs(w)) : Double.POSITIVE_INFINITY;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
            if (Float.isNaN(w) || Float.isNaN(h) || Float.isInfinite(w) || Float.isInfinite(h)) {
                if (!(Float.isNaN(w) && Float.isNaN(h)) && w != h) {
                    maxAbs = Double.POSITIVE_INFINITY;
                    maxRel = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            double d = Math.abs((double) h - w);
            maxAbs = Math.max(maxAbs, d);
            if (Math.abs(w) > tolerance.abs() && w != 0) maxRel = Math.max(maxRel, d / Math.abs(w));
        }
        String failure = worst < 0 ? null : String.format(Locale.ROOT, "element %d is %s, expected %s (%d of %d out of tolerance)",
                worst, have[worst], want[worst], outOfTolerance(want, have, tolerance), want.length);
        return new Errors(maxAbs, maxRel, failure);
    }

    private static int outOfTolerance(float[] want, float[] have, Tolerance tolerance) {
        int n = 0;
        for (int i = 0; i < want.length; i++) if (!tolerance.accepts(want[i], have[i])) n++;
        return n;
    }

    private static String exactFailure(long[] want, long[] have) {
        if (want.length != have.length) return have.length + " elements, expected " + want.length;
        int differing = 0, first = -1;
        for (int i = 0; i < want.length; i++) {
            if (want[i] != have[i]) {
                if (first < 0) first = i;
                differing++;
            }
        }
        return first < 0 ? null : "element " + first + " is " + have[first] + ", expected " + want[first]
                + " (" + differing + " of " + want.length + " differ)";
    }
}
