package simil.tokenizer;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * The cheap tokenizer: k-means centroids of normalized patches; a patch's token is its nearest centroid and
 * its reconstruction that centroid. Fitted by Lloyd's algorithm from distinct, seeded random samples (k-means++
 * would cost k passes over the data, as much as k/iterations Lloyd steps at a vocabulary of 8192), every step
 * on the backend ({@link simil.tensor.CodebookOps}); per iteration only the mean distance and the code counts
 * (to re-seed empty clusters) come back to the host.
 */
public final class KMeansTokenizer implements Tokenizer {
    private final Backend backend;
    private final Tensor centroids;

    /** Centroids [vocabulary, 192], loaded or fitted. */
    KMeansTokenizer(Backend backend, int vocabulary) {
        this.backend = backend;
        this.centroids = backend.zeros(vocabulary, PatchGrid.DIM);
    }

    /**
     * Fits {@code vocabulary} centroids to normalized patches [n, 192] in {@code iterations} Lloyd steps; a centroid
     * left without patches moves to a random patch. Deterministic for a seed.
     */
    public static KMeansTokenizer fit(Backend backend, Tensor patches, int vocabulary, int iterations, long seed, PrintStream log) {
        int n = patches.dim(0), dim = PatchGrid.DIM;
        patches.requireShape("patches", n, dim);
        if (vocabulary < 2 || vocabulary > n) throw new IllegalArgumentException("vocabulary " + vocabulary + " needs between 2 and " + n + " sample patches");
        KMeansTokenizer t = new KMeansTokenizer(backend, vocabulary);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(Rng.derive(seed, 0));
        for (int k = 0; k < vocabulary; k++) {
            int j = k + random.nextInt(n - k);
            int tmp = order[k]; order[k] = order[j]; order[j] = tmp;
        }
        try (Tensor first = backend.fromIntArray(java.util.Arrays.copyOf(order, vocabulary), vocabulary);
             Tensor codes = backend.intZeros(n); Tensor counts = backend.intZeros(vocabulary);
             Tensor distances = backend.zeros(n); Tensor total = backend.zeros(1)) {
            backend.attention().embeddingForward(patches, first, t.centroids);
            for (int it = 1; it <= iterations; it++) {
                backend.codebooks().nearest(patches, t.centroids, codes, distances);
                backend.tensors().sumRows(distances, total, false);
                backend.codebooks().kMeansUpdate(patches, codes, t.centroids, counts);
                int[] perCode = backend.toIntArray(counts);
                int empty = 0;
                SplittableRandom reseed = new SplittableRandom(Rng.derive(seed, it));
                for (int k = 0; k < vocabulary; k++) {
                    if (perCode[k] != 0) continue;
                    empty++;
                    int row = reseed.nextInt(n);
                    backend.tensors().copy(patches.slice(row, row + 1), t.centroids.slice(k, k + 1));
                }
                log.printf(Locale.ROOT, "k-means iteration %d/%d: mean squared distance %.4f, %d empty clusters re-seeded%n",
                        it, iterations, backend.toArray(total)[0] / ((double) n * dim), empty);
            }
        }
        return t;
    }

    @Override public String kind() { return "kmeans"; }
    @Override public int vocabulary() { return centroids.dim(0); }
    @Override public Backend backend() { return backend; }

    @Override
    public void encode(Tensor patches, Tensor codes) {
        backend.codebooks().nearest(patches, centroids, codes, null);
    }

    @Override
    public void decode(Tensor codes, Tensor patches) {
        backend.attention().embeddingForward(centroids, codes, patches.reshape(codes.size(), PatchGrid.DIM));
    }

    @Override
    public JsonObject config() {
        return new JsonObject();
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        return Map.of("centroids", centroids);
    }
}
