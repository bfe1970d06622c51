package simil.backend.cpu;

/**
 * The error function for the exact GELU, which Java's Math lacks, as a table of cubic Hermite pieces
 * (value and derivative 2/√π·e^{−x²} matched at both ends of each 1/128-wide interval on [0, 6]) built
 * once from the power series; the interpolation error is below 1e-10, far under float32 resolution.
 * Beyond 6, erf is ±1 to double precision (erfc(6) ≈ 2e-17). The GELU kernels evaluate it
 * ({@link NativeGelu}), erf' as the pieces' slope.
 */
final class Erf {
    private Erf() {}

    private static final int STEPS_PER_UNIT = 128;
    private static final double LIMIT = 6.0;
    private static final int INTERVALS = (int) (LIMIT * STEPS_PER_UNIT);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /** Per interval i: erf(x0 + t·h) = c0 + t·(c1 + t·(c2 + t·c3)) for t in [0, 1]. */
    private static final double[] COEFFS = buildTable();

    /** The table: per interval i, {@code [4i .. 4i + 3]} = c0..c3 (native/simil_gelu.c evaluates it). */
    static double[] coefficients() {
        return COEFFS.clone();
    }

    /**
     * erf by the series erf(x) = 2/√π · e^{−x²} · Σ_n 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), whose terms are all
     * positive, so it keeps full double precision on [0, 6]; slow (up to ~130 terms), for the table and tests.
     */
    static double erfSeries(double x) {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    private static double[] buildTable() {
        double h = 1.0 / STEPS_PER_UNIT;
        double[] c = new double[4 * INTERVALS];
        double f0 = erfSeries(0), d0 = TWO_OVER_SQRT_PI * h;
        for (int i = 0; i < INTERVALS; i++) {
            double x1 = (i + 1) * h;
            double f1 = erfSeries(x1), d1 = TWO_OVER_SQRT_PI * Math.exp(-x1 * x1) * h;
            // Cubic through (0, f0) and (1, f1) with slopes d0 and d1 (derivatives scaled by h to t units).
            c[4 * i] = f0;
            c[4 * i + 1] = d0;
            c[4 * i + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
            c[4 * i + 3] = 2 * (f0 - f1) + d0 + d1;
            f0 = f1;
            d0 = d1;
        }
        return c;
    }
}
