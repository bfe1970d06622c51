package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Nearest codes, code counts and the k-means update against the host arithmetic they replaced, on every backend and ISA. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class CodebookOpsTest {
    private final Backend be;

    CodebookOpsTest(Backend be) {
        this.be = be;
    }

    private Tensor normal(long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0f, 1f, seed);
        return t;
    }

    /** More rows than one product's chunk (512), so that the chunking shows; a duplicated code row tests ties. */
    @Test
    void nearestIsTheArgminOfNormMinusTwiceTheProductWithTiesToTheLowerCode() {
        int n = 1100, dim = 12, vocab = 37;
        Tensor x = normal(1, n, dim), codebook = normal(2, vocab, dim);
        be.tensors().copy(codebook.slice(3, 4), codebook.slice(30, 31));
        float[] xs = be.toArray(x), e = be.toArray(codebook);
        Tensor codes = be.intZeros(n), distances = be.zeros(n);
        be.codebooks().nearest(x, codebook, codes, distances);
        int[] got = be.toIntArray(codes);
        float[] d = be.toArray(distances);
        int tiesSeen = 0;
        for (int i = 0; i < n; i++) {
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int k = 0; k < vocab; k++) {
                double squared = 0;
                for (int j = 0; j < dim; j++) squared += Math.pow(xs[i * dim + j] - e[k * dim + j], 2);
                if (squared < bestDistance - 1e-9) {
                    bestDistance = squared;
                    best = k;
                }
            }
            assertEquals(bestDistance, d[i], 1e-4 * Math.max(1, bestDistance), "distance of row " + i);
            double chosen = 0;
            for (int j = 0; j < dim; j++) chosen += Math.pow(xs[i * dim + j] - e[got[i] * dim + j], 2);
            assertEquals(bestDistance, chosen, 1e-4 * Math.max(1, bestDistance), "row " + i + ": code " + got[i] + " vs " + best);
            if (best == 3) {
                assertEquals(3, got[i], "the duplicate at 30 never wins");
                tiesSeen++;
            }
        }
        assertEquals(true, tiesSeen > 0, "some rows are nearest to the duplicated code");
        Tensor again = be.intZeros(n);
        be.codebooks().nearest(x, codebook, again, null);
        assertArrayEquals(got, be.toIntArray(again), "without distances");
    }

    @Test
    void countsAccumulateAndTheKMeansUpdateIsTheMeanInDoubleLeavingEmptyCentroids() {
        int n = 200, dim = 5, vocab = 9;
        Tensor x = normal(3, n, dim), centroids = normal(4, vocab, dim);
        int[] code = new int[n];
        for (int i = 0; i < n; i++) code[i] = (i * 7) % 8; // code 8 stays empty
        Tensor codes = be.fromIntArray(code, n), counts = be.intZeros(vocab);
        be.codebooks().countCodes(codes, counts);
        be.codebooks().countCodes(codes.slice(0, 10), counts);
        int[] expectedCounts = new int[vocab];
        for (int i = 0; i < n; i++) expectedCounts[code[i]] += i < 10 ? 2 : 1;
        assertArrayEquals(expectedCounts, be.toIntArray(counts));

        float[] xs = be.toArray(x), before = be.toArray(centroids), expected = before.clone();
        double[] sums = new double[vocab * dim];
        int[] perCode = new int[vocab];
        for (int i = 0; i < n; i++) {
            perCode[code[i]]++;
            for (int j = 0; j < dim; j++) sums[code[i] * dim + j] += xs[i * dim + j];
        }
        for (int k = 0; k < vocab; k++) {
            for (int j = 0; j < dim && perCode[k] > 0; j++) expected[k * dim + j] = (float) (sums[k * dim + j] / perCode[k]);
        }
        be.codebooks().kMeansUpdate(x, codes, centroids, counts);
        assertArrayEquals(perCode, be.toIntArray(counts), "counts are overwritten");
        assertArrayEquals(expected, be.toArray(centroids));
        assertEquals(0, perCode[8]);
        // A GPU finds the bad code in its kernel and throws at the next synchronize.
        assertThrows(IndexOutOfBoundsException.class, () -> {
            be.codebooks().countCodes(be.fromIntArray(new int[] {9}, 1), counts);
            be.synchronize();
        });
    }
}
