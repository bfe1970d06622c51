package simil.data;

import java.util.SplittableRandom;

/** Derives independent random streams from a seed and the indices that identify a use (epoch, class, image). */
final class Seeds {
    private Seeds() {}

    /** SplitMix64 finalizer: neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed that depends on every part, in order. */
    static long derive(long seed, long... parts) {
        long z = mix(seed + 0x9E3779B97F4A7C15L);
        for (long part : parts) z = mix(z ^ mix(part + 0x632BE59BD9B4E019L));
        return z;
    }

    /** A generator for the stream identified by {@code seed} and {@code parts}. */
    static SplittableRandom random(long seed, long... parts) {
        return new SplittableRandom(derive(seed, parts));
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int swap = a[k];
            a[k] = a[j];
            a[j] = swap;
        }
    }
}
