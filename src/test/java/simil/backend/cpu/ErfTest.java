package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Erf's table of cubic pieces (evaluated here in double, as native/simil_gelu.c does in float) and its series. */
class ErfTest {
    private static final double[] COEFFS = Erf.coefficients();
    private static final int STEPS_PER_UNIT = 128, INTERVALS = COEFFS.length / 4;

    @Test
    void knownValues() {
        // Reference values to 16 digits (Abramowitz & Stegun table 7.1 / mpmath).
        double[][] cases = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
                {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527}, {3.0, 0.9999779095030014},
                {4.5, 0.9999999998033839}};
        for (double[] c : cases) {
            assertEquals(c[1], Erf.erfSeries(c[0]), 1e-15, "series at " + c[0]);
            assertEquals(c[1], table(c[0]), 1e-10, "table at " + c[0]);
        }
        assertEquals(768, INTERVALS);
        assertEquals(1.0, table(6.0), 1e-15);
    }

    @Test
    void tableTracksTheSeriesEverywhere() {
        double worst = 0;
        for (double x = 0; x < 6; x += 0.000731) worst = Math.max(worst, Math.abs(table(x) - Erf.erfSeries(x)));
        assertEquals(0, worst, 1e-10);
    }

    @Test
    void slopeIsTheGaussian() {
        double worst = 0;
        for (double x = 0; x < 6; x += 0.000913) {
            worst = Math.max(worst, Math.abs(slope(x) - 2 / Math.sqrt(Math.PI) * Math.exp(-x * x)));
        }
        assertEquals(0, worst, 1e-7);
    }

    /** erf(x) for x in [0, 6] from the table. */
    private static double table(double x) {
        int i = Math.min((int) (x * STEPS_PER_UNIT), INTERVALS - 1);
        double t = x * STEPS_PER_UNIT - i;
        return COEFFS[4 * i] + t * (COEFFS[4 * i + 1] + t * (COEFFS[4 * i + 2] + t * COEFFS[4 * i + 3]));
    }

    /** erf'(x) for x in [0, 6], the slope of the same piece. */
    private static double slope(double x) {
        int i = Math.min((int) (x * STEPS_PER_UNIT), INTERVALS - 1);
        double t = x * STEPS_PER_UNIT - i;
        return (COEFFS[4 * i + 1] + t * (2 * COEFFS[4 * i + 2] + t * 3 * COEFFS[4 * i + 3])) * STEPS_PER_UNIT;
    }
}
