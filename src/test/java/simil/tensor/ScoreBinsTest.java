package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreBinsTest {

    @Test
    void binsAreOrderedAndEachStartsAtItsEdge() {
        assertEquals(0f, ScoreBins.lowerEdge(0));
        assertEquals(1f, ScoreBins.lowerEdge(ScoreBins.COUNT - 1));
        for (int bin = 1; bin < ScoreBins.COUNT; bin++) {
            float edge = ScoreBins.lowerEdge(bin);
            assertTrue(edge > ScoreBins.lowerEdge(bin - 1), "edges not increasing at bin " + bin);
            assertEquals(bin, ScoreBins.index(edge), "edge of bin " + bin);
            assertEquals(bin - 1, ScoreBins.index(Math.nextDown(edge)), "just below the edge of bin " + bin);
        }
    }

    @Test
    void indexIsMonotoneOnRandomScores() {
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            // Uniform on [0, 1] and log-uniform down to 1e-30.
            float a = random.nextBoolean() ? random.nextFloat() : (float) Math.pow(10, -30 * random.nextDouble());
            float b = random.nextBoolean() ? random.nextFloat() : (float) Math.pow(10, -30 * random.nextDouble());
            if (a < b) {
                assertTrue(ScoreBins.index(a) <= ScoreBins.index(b), a + " vs " + b);
            }
            int bin = ScoreBins.index(a);
            assertTrue(ScoreBins.lowerEdge(bin) <= a && (bin == ScoreBins.COUNT - 1 || a < ScoreBins.lowerEdge(bin + 1)));
        }
    }

    @Test
    void negativeZeroIsZero() {
        assertEquals(0, ScoreBins.index(-0.0f));
    }

    @Test
    void resolutionMeetsAtTheRegionBoundary() {
        int boundary = ScoreBins.index(0x1.0p-10f);
        double uniformWidth = ScoreBins.lowerEdge(boundary + 1) - ScoreBins.lowerEdge(boundary);
        double lowWidth = ScoreBins.lowerEdge(boundary) - ScoreBins.lowerEdge(boundary - 1);
        assertEquals(0x1.0p-21, uniformWidth, 0);
        assertEquals(0x1.0p-22, lowWidth, 0);
    }
}
