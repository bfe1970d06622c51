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
 * would cost k passes over the data, as much as k/iterations Lloyd steps at a vocabulary of 8192).
 */
public final class KMeansTokenizer implements Tokenizer {
    private final Backend backend;
    private final Tensor centroids;
    private final NearestCode nearest;

    /** Centroids [vocabulary, 192], loaded or fitted. */
    KMeansTokenizer(Backend backend, int vocabulary) {
        this.backend = backend;
        this.centroids = backend.zeros(vocabulary, PatchGrid.DIM);
        this.nearest = new NearestCode(backend);
    }

    /**
     * Fits {@code vocabulary} centroids to normalized patches [n, 192] in {@code iterations} Lloyd steps; a centroid
     * left without patches moves to a random patch. Deterministic for a seed.
     */
    public static KMeansTokenizer fit(Backend backend, float[] patches, int vocabulary, int iterations, long seed, PrintStream log) {
        int n = patches.length / PatchGrid.DIM, dim = PatchGrid.DIM;
        if (vocabulary < 2 || vocabulary > n) throw new IllegalArgumentException("vocabulary " + vocabulary + " needs between 2 and " + n + " sample patches");
        KMeansTokenizer t = new KMeansTokenizer(backend, vocabulary);
        float[] c = new float[vocabulary * dim];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(Rng.derive(seed, 0));
        for (int k = 0; k < vocabulary; k++) {
            int j = k + random.nextInt(n - k);
            int tmp = order[k]; order[k] = order[j]; order[j] = tmp;
            System.arraycopy(patches, order[k] * dim, c, k * dim, dim);
        }
        backend.write(t.centroids, c);
        Tensor x = backend.fromArray(patches, n, dim);
        int[] codes = new int[n];
        for (int it = 1; it <= iterations; it++) {
            double inertia = t.nearest.assign(x, t.centroids, codes);
            double[] sums = new double[vocabulary * dim];
            int[] counts = new int[vocabulary];
            for (int i = 0; i < n; i++) {
                int k = codes[i];
                counts[k]++;
                for (int d = 0; d < dim; d++) sums[k * dim + d] += patches[i * dim + d];
            }
            int empty = 0;
            SplittableRandom reseed = new SplittableRandom(Rng.derive(seed, it));
            for (int k = 0; k < vocabulary; k++) {
                if (counts[k] == 0) {
                    empty++;
                    System.arraycopy(patches, reseed.nextInt(n) * dim, c, k * dim, dim);
                } else {
                    for (int d = 0; d < dim; d++) c[k * dim + d] = (float) (sums[k * dim + d] / counts[k]);
                }
            }
            backend.write(t.centroids, c);
            log.printf(Locale.ROOT, "k-means iteration %d/%d: mean squared distance %.4f, %d empty clusters re-seeded%n",
                    it, iterations, inertia / ((double) n * dim), empty);
        }
        return t;
    }

    @Override public String kind() { return "kmeans"; }
    @Override public int vocabulary() { return centroids.dim(0); }
    @Override public Backend backend() { return backend; }

    @Override
    public void encode(Tensor patches, int[] codes) {
        nearest.assign(patches, centroids, codes);
    }

    @Override
    public void decode(int[] codes, Tensor patches) {
        Tensor ids = backend.fromIntArray(codes, codes.length);
        backend.attention().embeddingForward(centroids, ids, patches.reshape(codes.length, PatchGrid.DIM));
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
