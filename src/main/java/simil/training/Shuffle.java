package simil.training;

import simil.tensor.Rng;

/** A seeded permutation, the same for the same (seed, epoch) on every machine. */
final class Shuffle {
    private Shuffle() {}

    static int[] permuted(int[] values, long seed, long epoch) {
        int[] a = values.clone();
        long stream = Rng.derive(seed, epoch);
        for (int k = a.length - 1; k > 0; k--) {
            int j = (int) Long.remainderUnsigned(Rng.bits(stream, k), k + 1);
            int t = a[k];
            a[k] = a[j];
            a[j] = t;
        }
        return a;
    }
}
