package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.evaluation.ScoreAccumulator;
import simil.tensor.Backend;
import simil.tensor.PosteriorScore;
import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;

/**
 * The backend's histograms of posterior pair scores against the host: each pair's score computed on the host by
 * {@link PosteriorScore} and added to a {@link ScoreAccumulator} gives the same bins, confusion counts, AUC, AP and
 * chosen threshold, exactly, for posterior scores alone (each unordered pair twice) and mixed with metric logits
 * (with and without the reversed order), in tiles and in pair lists.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class PosteriorHistogramTest {
    private static final float[] THRESHOLDS = {0.5f, 0.0625f};
    private static final float SHIFT = PosteriorScore.priorShift(7);
    private final Backend be;

    PosteriorHistogramTest(Backend be) {
        this.be = be;
    }

    /** Posterior scores with ties, 0, 1, a float sum a hair past 1, and values at a threshold. */
    private static float[] randomQ(Random rnd, int n) {
        float[] q = new float[n];
        for (int k = 0; k < n; k++) {
            q[k] = switch (rnd.nextInt(6)) {
                case 0 -> 0f;
                case 1 -> rnd.nextBoolean() ? 1f : Math.nextUp(1f);
                case 2 -> 0.0625f;
                case 3 -> rnd.nextInt(8) / 8f;
                default -> rnd.nextFloat() * rnd.nextFloat();
            };
        }
        return q;
    }

    private static float[] randomLogits(Random rnd, int n) {
        float[] z = new float[n];
        for (int k = 0; k < n; k++) z[k] = rnd.nextInt(4) == 0 ? Math.round(rnd.nextGaussian() * 2) : (float) rnd.nextGaussian() * 4f;
        return z;
    }

    private static int[] labels(Random rnd, int n) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(3);
        return labels;
    }

    @Test
    void posteriorTilesCountEachUnorderedPairTwiceAtItsScore() {
        Random rnd = new Random(7);
        int n = 40, rows = 7, columns = 23, firstRow = 9, firstColumn = 5; // the tile crosses the diagonal
        int[] labels = labels(rnd, n);
        float[] q = randomQ(rnd, rows * columns);
        ScoreAccumulator host = new ScoreAccumulator(THRESHOLDS);
        long[] same = new long[ScoreBins.COUNT], different = new long[ScoreBins.COUNT];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = firstRow + r, j = firstColumn + c;
                if (j <= i) continue;
                float score = PosteriorScore.of(q[r * columns + c]);
                for (int twice = 0; twice < 2; twice++) host.add(score, labels[i] == labels[j]);
                (labels[i] == labels[j] ? same : different)[ScoreBins.index(score)] += 2;
            }
        }
        try (ScoreHistogram h = be.pairScoring().histogram(THRESHOLDS)) {
            be.pairScoring().histogramPosteriorTile(be.fromArray(q, rows * columns), null, null, SHIFT, be.fromIntArray(labels, n),
                    firstRow, firstColumn, columns, h);
            ScoreHistogram.Counts counts = h.read();
            assertArrayEquals(same, counts.same());
            assertArrayEquals(different, counts.different());
            assertEquals(0, counts.invalid(), "a sum a hair past 1 is a probability of 1, not an invalid score");
            ScoreAccumulator backend = new ScoreAccumulator(THRESHOLDS);
            backend.add(counts);
            SameScores.assertSameCounts(host, backend, THRESHOLDS);
        }
    }

    @Test
    void mixedTilesScoreEachPairByTheLogitAndQAsTheHostDoes() {
        Random rnd = new Random(8);
        int n = 30, rows = 8, columns = 17, firstRow = 8, firstColumn = 3;
        int[] labels = labels(rnd, n);
        float[] q = randomQ(rnd, rows * columns), z = randomLogits(rnd, rows * columns), zr = randomLogits(rnd, rows * columns);
        ScoreAccumulator oneOrder = new ScoreAccumulator(THRESHOLDS), bothOrders = new ScoreAccumulator(THRESHOLDS);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = firstRow + r, j = firstColumn + c, k = r * columns + c;
                if (i == j) continue;
                oneOrder.add(PosteriorScore.mixed(z[k], q[k], SHIFT), labels[i] == labels[j]);
                if (j < i) continue;
                float mean = 0.5f * (z[k] + zr[c * rows + r]);
                for (int twice = 0; twice < 2; twice++) bothOrders.add(PosteriorScore.mixed(mean, q[k], SHIFT), labels[i] == labels[j]);
            }
        }
        ScoreAccumulator backendOne = new ScoreAccumulator(THRESHOLDS), backendBoth = new ScoreAccumulator(THRESHOLDS);
        try (ScoreHistogram one = be.pairScoring().histogram(THRESHOLDS); ScoreHistogram both = be.pairScoring().histogram(THRESHOLDS)) {
            be.pairScoring().histogramPosteriorTile(be.fromArray(q, rows * columns), be.fromArray(z, rows * columns), null, SHIFT,
                    be.fromIntArray(labels, n), firstRow, firstColumn, columns, one);
            be.pairScoring().histogramPosteriorTile(be.fromArray(q, rows * columns), be.fromArray(z, rows * columns),
                    be.fromArray(zr, rows * columns), SHIFT, be.fromIntArray(labels, n), firstRow, firstColumn, columns, both);
            backendOne.add(one.read());
            backendBoth.add(both.read());
        }
        assertTrue(oneOrder.positives() > 0 && oneOrder.negatives() > 0);
        assertEquals((long) rows * columns - rows, oneOrder.positives() + oneOrder.negatives(), "every pair but the diagonal's");
        SameScores.assertSameCounts(oneOrder, backendOne, THRESHOLDS);
        SameScores.assertSameCounts(bothOrders, backendBoth, THRESHOLDS);
    }

    @Test
    void pairListsScoreByQOrByTheMixAsTheHostDoes() {
        Random rnd = new Random(9);
        int n = 700;
        float[] q = randomQ(rnd, n), z = randomLogits(rnd, n);
        q[0] = Float.NaN;
        int[] same = new int[n];
        ScoreAccumulator posterior = new ScoreAccumulator(THRESHOLDS), mixed = new ScoreAccumulator(THRESHOLDS);
        for (int k = 0; k < n; k++) {
            same[k] = rnd.nextInt(2);
            if (k == 0) continue;
            posterior.add(PosteriorScore.of(q[k]), same[k] == 1);
            mixed.add(PosteriorScore.mixed(z[k], q[k], SHIFT), same[k] == 1);
        }
        ScoreHistogram.Counts posteriorCounts, mixedCounts;
        try (ScoreHistogram p = be.pairScoring().histogram(THRESHOLDS); ScoreHistogram m = be.pairScoring().histogram(THRESHOLDS)) {
            be.pairScoring().histogramPosteriorPairs(be.fromArray(q, n), null, SHIFT, be.fromIntArray(same, n), p);
            be.pairScoring().histogramPosteriorPairs(be.fromArray(q, n), be.fromArray(z, n), SHIFT, be.fromIntArray(same, n), m);
            posteriorCounts = p.read();
            mixedCounts = m.read();
        }
        assertEquals(1, posteriorCounts.invalid(), "a NaN posterior score is invalid, as in the metric path");
        assertEquals(1, mixedCounts.invalid());
        ScoreAccumulator backendPosterior = new ScoreAccumulator(THRESHOLDS), backendMixed = new ScoreAccumulator(THRESHOLDS);
        backendPosterior.add(withoutInvalid(posteriorCounts));
        backendMixed.add(withoutInvalid(mixedCounts));
        SameScores.assertSameCounts(posterior, backendPosterior, THRESHOLDS);
        SameScores.assertSameCounts(mixed, backendMixed, THRESHOLDS);
    }

    private static ScoreHistogram.Counts withoutInvalid(ScoreHistogram.Counts c) {
        return new ScoreHistogram.Counts(c.thresholds(), c.same(), c.different(), c.confusion(), 0);
    }
}
