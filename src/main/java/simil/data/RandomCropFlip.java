package simil.data;

/**
 * Training augmentation: pad by {@code padding} pixels with reflection (the edge pixel is not repeated), take a random
 * 64x64 crop, and flip horizontally with probability 1/2. The choice is a pure function of (seed, image, epoch).
 */
public record RandomCropFlip(int padding, long seed) {
    /** The common recipe: 4 pixels of padding. */
    public static RandomCropFlip standard(long seed) {
        return new RandomCropFlip(4, seed);
    }

    public RandomCropFlip {
        if (padding < 0 || padding >= JpegDecoder.SIDE) throw new IllegalArgumentException("padding must be in [0, 63]: " + padding);
    }

    /** Writes the augmented version of channel-major image {@code src} (store index {@code image}) into {@code dst}. */
    public void apply(byte[] src, byte[] dst, int image, long epoch) {
        long bits = Seeds.derive(seed, image, epoch);
        int span = 2 * padding + 1;
        int dx = (int) Long.remainderUnsigned(bits, span) - padding;
        int dy = (int) Long.remainderUnsigned(bits >>> 20, span) - padding;
        boolean flip = (bits >>> 63) != 0;
        int side = JpegDecoder.SIDE;
        for (int c = 0; c < 3; c++) {
            int plane = c * side * side;
            for (int y = 0; y < side; y++) {
                int sy = reflect(y + dy);
                for (int x = 0; x < side; x++) {
                    int sx = reflect((flip ? side - 1 - x : x) + dx);
                    dst[plane + y * side + x] = src[plane + sy * side + sx];
                }
            }
        }
    }

    private static int reflect(int v) {
        int last = JpegDecoder.SIDE - 1;
        if (v < 0) return -v;
        if (v > last) return 2 * last - v;
        return v;
    }
}
