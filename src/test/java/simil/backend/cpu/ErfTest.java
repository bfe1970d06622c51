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
        assertEquals(1.0, Erf.erf(7.0));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erf(0.0));
    }

    @Test
    void tableTracksTheSeriesEverywhere() {
        double worst = 0;
        for (double x = 0; x < 6; x += 0.000731) worst = Math.max(worst, Math.abs(Erf.erf(x) - Erf.erfSeries(x)));
        assertEquals(0, worst, 1e-10);
    }
}
