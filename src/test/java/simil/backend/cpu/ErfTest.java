package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErfTest {
    @Test
    void knownValues() {
        // Reference values to 16 digits (Abramowitz & Stegun table 7.1 / mpmath).
        double[][] cases = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
                {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527}, {3.0, 0.9999779095030014},
                {4.5, 0.9999999998033839}};
        for (double[] c : cases) {
            assertEquals(c[1], Erf.erfSeries(c[0]), 1e-15, "series at " + c[0]);
            assertEquals(c[1], Erf.erf(c[0]), 1e-10, "table at " + c[0]);
            assertEquals(-c[1], Erf.erf(-c[0]), 1e-10, "odd at " + c[0]);
        }
        assertEquals(1.0, Erf.erf(7.0), 1e-15);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 1e-15);
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(Double.NaN, Erf.erf(Double.NaN));
    }

    @Test
    void tableTracksTheSeriesEverywhere() {
        double worst = 0;
        for (double x = -6.5; x < 6.5; x += 0.000731) {
            double exact = x < -6 ? -1 : x > 6 ? 1 : Math.copySign(Erf.erfSeries(Math.abs(x)), x);
            worst = Math.max(worst, Math.abs(Erf.erf(x) - exact));
        }
        assertEquals(0, worst, 1e-10);
    }

    @Test
    void derivativeIsTheGaussian() {
        double worst = 0;
        for (double x = -7; x < 7; x += 0.000913) {
            worst = Math.max(worst, Math.abs(Erf.erfDerivative(x) - 2 / Math.sqrt(Math.PI) * Math.exp(-x * x)));
        }
        assertEquals(0, worst, 1e-7);
    }
}
