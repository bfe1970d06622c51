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
        int n = sample.count(), dim = config.in();
        if (n < batch) throw new IllegalArgumentException(n + " training patches, fewer than a batch of " + batch);
        VqVae model = new VqVae(backend, config).init(seed);
        model.initCodebook(gather(backend, sample.patches(), randomRows(n, config.vocabulary(), seed, -1), dim));
        Adam adam = Adam.adam(model.parameters(), 0f);
        int steps = n / batch;
        WarmupCosine schedule = new WarmupCosine(lr, 0, (long) epochs * steps, lr * 0.1f);
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = randomRows(n, n, seed, epoch);
            boolean[] used = new boolean[config.vocabulary()];
            double lossSum = 0, reconSum = 0;
            for (int s = 0; s < steps; s++) {
                Tensor x = gather(backend, sample.patches(), java.util.Arrays.copyOfRange(order, s * batch, (s + 1) * batch), dim);
                lossSum += model.forward(x);
                reconSum += model.reconstructionLoss();
                for (int code : model.quantizer().codes()) used[code] = true;
                model.backward();
                adam.step(schedule.at((long) epoch * steps + s + 1));
                adam.zeroGrad();
            }
            int dead = restartDeadCodes(model, used, sample, seed, epoch);
            log.printf(Locale.ROOT, "vq-vae epoch %d/%d: loss %.4f, reconstruction %.4f, %d codes used, %d restarted, %.0f s%n",
                    epoch + 1, epochs, lossSum / steps, reconSum / steps, config.vocabulary() - dead, dead,
                    (System.nanoTime() - start) / 1e9);
        }
        return model;
    }

    private static int restartDeadCodes(VqVae model, boolean[] used, PatchSample sample, long seed, int epoch) {
        Backend backend = model.backend();
        int dead = 0;
        for (boolean u : used) if (!u) dead++;
        if (dead == 0) return 0;
        int codeDim = model.settings().codeDim();
        int[] rows = randomRows(sample.count(), dead, seed, 1_000_000L + epoch);
        float[] fresh = backend.toArray(model.encoder().forward(gather(backend, sample.patches(), rows, model.settings().in()), false));
        Tensor codebook = model.quantizer().codebook().value();
        float[] e = backend.toArray(codebook);
        for (int k = 0, r = 0; k < used.length; k++) {
            if (!used[k]) System.arraycopy(fresh, r++ * codeDim, e, k * codeDim, codeDim);
        }
        backend.write(codebook, e);
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

    private static Tensor gather(Backend backend, float[] patches, int[] rows, int dim) {
        float[] x = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) System.arraycopy(patches, rows[i] * dim, x, i * dim, dim);
        return backend.fromArray(x, rows.length, dim);
    }
}
