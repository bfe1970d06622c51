package simil.tokenizer;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import simil.optim.Adam;
import simil.optim.WarmupCosine;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * Trains a {@link VqVae} on normalized patches with Adam and a cosine decay. The codebook starts as encoder
 * outputs of random patches, and after every epoch the codes no patch chose are moved to encoder outputs of
 * random patches (dead-code restart): without it a large codebook collapses onto a few hundred codes.
 */
public final class VqVaeTrainer {
    private VqVaeTrainer() {}

    public static VqVae train(Backend backend, VqVae.Config config, PatchSample sample, int epochs, int batch, float lr,
                              long seed, PrintStream log) {
        int n = sample.count(), vocabulary = config.vocabulary();
        if (n < batch) throw new IllegalArgumentException(n + " training patches, fewer than a batch of " + batch);
        VqVae model = new VqVae(backend, config).init(seed);
        try (Tensor first = rows(backend, sample, randomRows(n, vocabulary, seed, -1))) {
            model.initCodebook(first);
        }
        Adam adam = Adam.adam(model.parameters(), 0f);
        int steps = n / batch;
        WarmupCosine schedule = new WarmupCosine(lr, 0, (long) epochs * steps, lr * 0.1f);
        long start = System.nanoTime();
        try (Tensor order = backend.intZeros(n); Tensor x = backend.zeros(batch, config.in());
             Tensor used = backend.intZeros(vocabulary); Tensor lossSums = backend.zeros(2)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                // The epoch's order goes to the device once; each step gathers its rows through a slice of it.
                backend.writeInts(order, randomRows(n, n, seed, epoch));
                backend.writeInts(used, new int[vocabulary]);
                backend.tensors().fill(lossSums, 0f);
                for (int s = 0; s < steps; s++) {
                    backend.attention().embeddingForward(sample.patches(), order.slice(s * batch, (s + 1) * batch), x);
                    backend.tensors().axpy(1f, model.forward(x), lossSums);
                    backend.codebooks().countCodes(model.quantizer().codes(), used);
                    model.backward();
                    adam.step(schedule.at((long) epoch * steps + s + 1));
                    adam.zeroGrad();
                }
                // The epoch's losses, summed on the device, come back in one read.
                float[] sums = backend.toArray(lossSums);
                int dead = restartDeadCodes(model, backend.toIntArray(used), sample, seed, epoch);
                log.printf(Locale.ROOT, "vq-vae epoch %d/%d: loss %.4f, reconstruction %.4f, %d codes used, %d restarted, %.0f s%n",
                        epoch + 1, epochs, sums[0] / steps, sums[1] / steps, vocabulary - dead, dead,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        return model;
    }

    /**
     * Moves every code no patch chose this epoch ({@code used[k]} = 0) to the encoder output of a random patch: the
     * dead rows are zeroed by a row scale of 0 and the fresh rows added onto them (a scatter), on the backend.
     */
    private static int restartDeadCodes(VqVae model, int[] used, PatchSample sample, long seed, int epoch) {
        Backend backend = model.backend();
        int vocabulary = used.length, dead = 0;
        float[] keep = new float[vocabulary];
        for (int k = 0; k < vocabulary; k++) {
            keep[k] = used[k] > 0 ? 1f : 0f;
            if (used[k] == 0) dead++;
        }
        if (dead == 0) return 0;
        int[] deadCodes = new int[dead];
        for (int k = 0, d = 0; k < vocabulary; k++) if (used[k] == 0) deadCodes[d++] = k;
        Tensor codebook = model.quantizer().codebook().value();
        try (Tensor patches = rows(backend, sample, randomRows(sample.count(), dead, seed, 1_000_000L + epoch));
             Tensor factors = backend.fromArray(keep, vocabulary); Tensor ids = backend.fromIntArray(deadCodes, dead)) {
            Tensor fresh = model.encoder().forward(patches, false);
            backend.tensors().scaleRows(codebook, factors, codebook);
            backend.attention().embeddingBackward(ids, fresh, codebook);
        }
        return dead;
    }

    /** {@code count} rows of [0, n): distinct when count ≤ n (a seeded partial shuffle), else drawn with replacement. */
    static int[] randomRows(int n, int count, long seed, long stream) {
        SplittableRandom random = new SplittableRandom(Rng.derive(seed, stream));
        int[] out = new int[count];
        if (count > n) {
            for (int i = 0; i < count; i++) out[i] = random.nextInt(n);
            return out;
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        for (int k = 0; k < count; k++) {
            int j = k + random.nextInt(n - k);
            int t = all[k]; all[k] = all[j]; all[j] = t;
            out[k] = all[k];
        }
        return out;
    }

    /** The sample's patches at {@code rows}, gathered on the backend into a new tensor. */
    private static Tensor rows(Backend backend, PatchSample sample, int[] rows) {
        Tensor out = backend.zeros(rows.length, sample.patches().dim(1));
        try (Tensor ids = backend.fromIntArray(rows, rows.length)) {
            backend.attention().embeddingForward(sample.patches(), ids, out);
        }
        return out;
    }
}
