package simil.parity;

import java.util.Locale;

/**
 * How far a backend's float output may be from the CPU's, element by element, as numpy's allclose:
 * |candidate − reference| ≤ abs + rel · |reference|. NaN must meet NaN and an infinity the same infinity.
 * Integer outputs (codes, counts, masks, histograms) are always compared exactly.
 */
public record Tolerance(double abs, double rel) {
    /** Bit-for-bit: the ops whose contract fixes every number (copies, random fills, counts). */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(abs >= 0 && rel >= 0)) throw new IllegalArgumentException("tolerance " + abs + " + " + rel + "·|x|");
    }

    public static Tolerance of(double abs, double rel) {
        return new Tolerance(abs, rel);
    }

    /** Whether {@code candidate} is within tolerance of {@code reference}. */
    public boolean accepts(float reference, float candidate) {
        if (Float.isNaN(reference) || Float.isNaN(candidate)) return Float.isNaN(reference) && Float.isNaN(candidate);
        if (Float.isInfinite(reference) || Float.isInfinite(candidate)) return reference == candidate;
        return Math.abs((double) candidate - reference) <= abs + rel * Math.abs((double) reference);
    }

    public boolean exact() { return abs == 0 && rel == 0; }

    @Override
    public String toString() {
        if (exact()) return "exact";
        if (rel == 0) return String.format(Locale.ROOT, "%.0e", abs);
        if (abs == 0) return String.format(Locale.ROOT, "%.0e·|x|", rel);
        return String.format(Locale.ROOT, "%.0e + %.0e·|x|", abs, rel);
    }
}
