package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.evaluation.ScoreAccumulator;
import simil.tensor.Backend;
import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/**
 * The backend's score histogram against the host path it replaced (σ of each logit on the host, then
 * {@link ScoreAccumulator#add(float, boolean)} pair by pair): the same bins, confusion counts, AUC, AP and chosen
 * threshold, exactly, on random logits that include ties, extremes and values at the thresholds.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class ScoreHistogramTest {
    private static final float[] THRESHOLDS = {0.5f, 0.3217f};
    private final Backend be;

    ScoreHistogramTest(Backend be) {
        this.be = be;
    }

    private static float[] randomLogits(Random rnd, int n) {
        float[] z = new float[n];
        for (int k = 0; k < n; k++) {
            z[k] = switch (rnd.nextInt(6)) {
                case 0 -> (float) rnd.nextGaussian() * 40f; // saturates to 0 and 1
                case 1 -> 0f; // exactly the threshold 0.5
                case 2 -> (float) Math.log(0.3217 / (1 - 0.3217)) + (rnd.nextInt(3) - 1) * 1e-7f; // around the other
                case 3 -> Math.round(rnd.nextGaussian() * 4) / 4f; // ties
                default -> (float) rnd.nextGaussian() * 3f;
            };
        }
        return z;
    }

    @Test
    void tilesCountEveryOrderedPairAsTheHostDid() {
        Random rnd = new Random(3);
        int n = 40, rows = 7, columns = 23, firstRow = 9, firstColumn = 5; // the tile crosses the diagonal
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(3);
        float[] z = randomLogits(rnd, rows * columns);
        ScoreAccumulator host = new ScoreAccumulator(THRESHOLDS);
        long[] same = new long[ScoreBins.COUNT], different = new long[ScoreBins.COUNT];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = firstRow + r, j = firstColumn + c;
                if (i == j) continue;
                float p = Sigmoid.of(z[r * columns + c]);
                host.add(p, labels[i] == labels[j]);
                (labels[i] == labels[j] ? same : different)[ScoreBins.index(p)]++;
            }
        }
        try (ScoreHistogram h = be.pairScoring().histogram(THRESHOLDS)) {
            be.pairScoring().histogramTile(be.fromArray(z, rows * columns), null, be.fromIntArray(labels, n),
                    firstRow, firstColumn, columns, h);
            ScoreHistogram.Counts counts = h.read();
            assertArrayEquals(same, counts.same());
            assertArrayEquals(different, counts.different());
            assertEquals(0, counts.invalid());
            ScoreAccumulator backend = new ScoreAccumulator(THRESHOLDS);
            backend.add(counts);
            SameScores.assertSameCounts(host, backend, THRESHOLDS);
            assertEquals((long) rows * columns - rows, backend.positives() + backend.negatives(), "the diagonal is skipped");
        }
    }

    @Test
    void symmetricTilesCountEachUnorderedPairTwiceAtTheMeanLogit() {
        Random rnd = new Random(4);
        int n = 30, rows = 8, columns = 17, firstRow = 8, firstColumn = 3;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(4);
        float[] z = randomLogits(rnd, rows * columns), zr = randomLogits(rnd, rows * columns);
        ScoreAccumulator host = new ScoreAccumulator(THRESHOLDS);
        for (int i = firstRow; i < firstRow + rows; i++) {
            for (int j = Math.max(firstColumn, i + 1); j < firstColumn + columns; j++) {
                float p = Sigmoid.of(0.5f * (z[(i - firstRow) * columns + (j - firstColumn)] + zr[(j - firstColumn) * rows + (i - firstRow)]));
                host.add(p, labels[i] == labels[j]);
                host.add(p, labels[i] == labels[j]);
            }
        }
        ScoreAccumulator backend = new ScoreAccumulator(THRESHOLDS);
        try (ScoreHistogram h = be.pairScoring().histogram(THRESHOLDS)) {
            be.pairScoring().histogramTile(be.fromArray(z, rows * columns), be.fromArray(zr, rows * columns),
                    be.fromIntArray(labels, n), firstRow, firstColumn, columns, h);
            backend.add(h.read());
        }
        assertTrue(host.positives() > 0 && host.negatives() > 0);
        SameScores.assertSameCounts(host, backend, THRESHOLDS);
    }

    @Test
    void pairListsAndTheirSumsOverCallsMatchTheHost() {
        Random rnd = new Random(5);
        ScoreAccumulator host = new ScoreAccumulator(THRESHOLDS), backend = new ScoreAccumulator(THRESHOLDS);
        try (ScoreHistogram h = be.pairScoring().histogram(THRESHOLDS)) {
            for (int call = 0; call < 3; call++) {
                int n = 500 + call;
                float[] z = randomLogits(rnd, n);
                int[] same = new int[n];
                for (int k = 0; k < n; k++) {
                    same[k] = rnd.nextInt(2);
                    host.add(Sigmoid.of(z[k]), same[k] == 1);
                }
                Tensor logits = be.zeros(n + 3).slice(3, n + 3).reshape(n); // a view: offsets are honoured
                be.write(logits, z);
                be.pairScoring().histogramPairs(logits, be.fromIntArray(same, n), h);
            }
            backend.add(h.read());
        }
        SameScores.assertSameCounts(host, backend, THRESHOLDS);
    }

    @Test
    void aNanLogitIsCountedAsInvalidAndRefusedWhereTheHostRefusedIt() {
        try (ScoreHistogram h = be.pairScoring().histogram(THRESHOLDS)) {
            be.pairScoring().histogramPairs(be.fromArray(new float[] {1f, Float.NaN, -2f}, 3), be.fromIntArray(new int[] {1, 0, 0}, 3), h);
            ScoreHistogram.Counts counts = h.read();
            assertEquals(1, counts.invalid());
            assertEquals(2, java.util.Arrays.stream(counts.same()).sum() + java.util.Arrays.stream(counts.different()).sum());
            String message = assertThrows(IllegalArgumentException.class, () -> new ScoreAccumulator(THRESHOLDS).add(counts)).getMessage();
            assertTrue(message.contains("not probabilities"), message);
            assertThrows(IllegalArgumentException.class, () -> new ScoreAccumulator(0.5f).add(counts), "other thresholds");
        }
        assertThrows(IllegalArgumentException.class, () -> new ScoreAccumulator().add(Float.NaN, true), "as the host path");
    }
}
