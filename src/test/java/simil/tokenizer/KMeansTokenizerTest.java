package simil.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class KMeansTokenizerTest {
    private final Backend be;
    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    private final PatchSample train, validation;

    KMeansTokenizerTest(Backend be) {
        this.be = be;
        this.train = SyntheticImages.patches(be, 40, 1);
        this.validation = SyntheticImages.patches(be, 10, 2);
    }

    @Test
    void fittingIsDeterministicAndTokensAreNearestCentroids() {
        KMeansTokenizer a = KMeansTokenizer.fit(be, train.patches(), 32, 3, 9, quiet);
        KMeansTokenizer b = KMeansTokenizer.fit(be, train.patches(), 32, 3, 9, quiet);
        assertArrayEquals(be.toArray(a.stateTensors().get("centroids")), be.toArray(b.stateTensors().get("centroids")));

        Tensor images = be.fromArray(SyntheticImages.make(3, 5), 3, 3, 64, 64);
        Tensor tokens = be.intZeros(3, 64);
        a.tokenize(images, tokens);
        int[] t = be.toIntArray(tokens);
        Tensor again = be.intZeros(3, 64);
        b.tokenize(images, again);
        assertArrayEquals(t, be.toIntArray(again));

        // Brute force: each token is the centroid at the least squared distance.
        float[] patches = be.toArray(PatchSample.of(images).patches());
        float[] c = be.toArray(a.stateTensors().get("centroids"));
        for (int r = 0; r < 3 * 64; r++) {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < 32; k++) {
                double d = 0;
                for (int i = 0; i < 192; i++) d += Math.pow(patches[r * 192 + i] - c[k * 192 + i], 2);
                if (d < bestD - 1e-4) { bestD = d; best = k; }
            }
            double chosen = 0;
            for (int i = 0; i < 192; i++) chosen += Math.pow(patches[r * 192 + i] - c[t[r] * 192 + i], 2);
            assertEquals(bestD, chosen, 1e-3 * Math.max(1, bestD), "patch " + r + ": token " + t[r] + " vs nearest " + best);
        }
    }

    @Test
    void lloydIterationsImproveValidationReconstruction() {
        ReconstructionQuality seeded = ReconstructionQuality.measure(KMeansTokenizer.fit(be, train.patches(), 32, 0, 3, quiet), validation);
        ReconstructionQuality fitted = ReconstructionQuality.measure(KMeansTokenizer.fit(be, train.patches(), 32, 6, 3, quiet), validation);
        assertTrue(fitted.normalizedMse() < 0.9 * seeded.normalizedMse(), seeded + " → " + fitted);
        assertTrue(fitted.psnr() > seeded.psnr());
        assertTrue(fitted.psnr() > 20, fitted.toString());
    }

    @Test
    void savedAndLoadedTokenizesAlike(@TempDir Path dir) throws Exception {
        KMeansTokenizer fitted = KMeansTokenizer.fit(be, train.patches(), 16, 2, 4, quiet);
        TokenizerFiles.save(fitted, dir);
        Tokenizer loaded = TokenizerFiles.load(be, dir);
        assertEquals("kmeans", loaded.kind());
        assertEquals(16, loaded.vocabulary());
        Tensor images = be.fromArray(SyntheticImages.make(2, 8), 2, 3, 64, 64);
        Tensor a = be.intZeros(2, 64), b = be.intZeros(2, 64);
        fitted.tokenize(images, a);
        loaded.tokenize(images, b);
        assertArrayEquals(be.toIntArray(a), be.toIntArray(b));
    }
}
