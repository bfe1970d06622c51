package simil.tensor;

/**
 * Counter-based random numbers: a value is a pure function of (seed, index), so a tensor filled in
 * parallel gets the same numbers whatever the thread count. SplitMix64 finalizer as the mixing function.
 */
public final class Rng {
    private Rng() {}

    /** 64 well-mixed bits for position {@code index} of stream {@code seed}. */
    public static long bits(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 40) * 0x1.0p-24f;
    }

    /** Standard normal (Box–Muller over two counters). */
    public static float normal(long seed, long index) {
        double u1 = ((bits(seed, 2 * index) >>> 11) + 1) * 0x1.0p-53;
        double u2 = (bits(seed, 2 * index + 1) >>> 11) * 0x1.0p-53;
        return (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }

    /** Derives an independent seed for a named sub-stream (a layer, an epoch, a batch). */
    public static long derive(long seed, long stream) {
        return bits(seed ^ 0x5DEECE66DL, stream);
    }
}
