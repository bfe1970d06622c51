package simil.backend.cuda;

import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * A score histogram in device memory: one array of unsigned 64-bit counts, "same" pairs per {@link ScoreBins} bin,
 * "different" pairs per bin, the confusion matrices at the thresholds (4 each), then the invalid pairs, which the
 * counting kernels (kernels/pair_scoring.cu) add to with atomics; {@link #read} copies it to the host once. Held as
 * int32 words (two per count, low first), the dtype the backend's tensors have for integers.
 */
final class CudaScoreHistogram implements ScoreHistogram {
    private final CudaBackend backend;
    private final float[] thresholds;
    private Tensor counts;
    private Tensor thresholdValues;

    CudaScoreHistogram(CudaBackend backend, float[] thresholds) {
        for (float t : thresholds) {
            if (!(t >= 0f && t <= 1f)) throw new IllegalArgumentException("threshold " + t + " is not a probability in [0, 1]");
        }
        this.backend = backend;
        this.thresholds = thresholds.clone();
        this.counts = backend.intZeros(2 * (2 * ScoreBins.COUNT + 4 * thresholds.length + 1));
        this.thresholdValues = backend.fromArray(this.thresholds, thresholds.length);
    }

    @Override public float[] thresholds() { return thresholds.clone(); }

    /** The device address of the counts, for the counting kernels. */
    long counts() {
        if (counts == null) throw new IllegalStateException("score histogram used after close()");
        return backend.ints(counts);
    }

    /** The device address of the thresholds (float32). */
    long thresholdValues() { return backend.floats(thresholdValues); }

    int thresholdCount() { return thresholds.length; }

    @Override
    public Counts read() {
        if (counts == null) throw new IllegalStateException("score histogram read after close()");
        int[] words = backend.toIntArray(counts);
        int bins = ScoreBins.COUNT, t = thresholds.length;
        return new Counts(thresholds.clone(), longs(words, 0, bins), longs(words, bins, bins), longs(words, 2 * bins, 4 * t),
                longs(words, 2 * bins + 4 * t, 1)[0]);
    }

    /** Counts [from, from + n) of the array, from their int32 words. */
    private static long[] longs(int[] words, int from, int n) {
        long[] out = new long[n];
        for (int k = 0; k < n; k++) out[k] = (words[2 * (from + k)] & 0xffffffffL) | (long) words[2 * (from + k) + 1] << 32;
        return out;
    }

    @Override
    public void close() {
        if (counts == null) return;
        counts.close();
        thresholdValues.close();
        counts = null;
        thresholdValues = null;
    }
}
