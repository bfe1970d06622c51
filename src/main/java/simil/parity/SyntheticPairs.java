package simil.parity;

import java.util.SplittableRandom;

/**
 * Balanced same/different pairs of 64×64 RGB images that a tower learns to tell apart within a few dozen steps, without
 * a dataset: each of a few classes has its own colour and a smooth pattern (a sum of three plane waves per channel,
 * of one to four cycles across the image, at class-drawn angles and phases), and each image is its class's colour and
 * pattern at a random contrast under Gaussian noise. Everything comes from one seed, so the CPU and the backend under test
 * see the very same batches.
 */
final class SyntheticPairs {
    static final int SIDE = 64, CHANNELS = 3, PIXELS = CHANNELS * SIDE * SIDE;
    private static final int CLASSES = 10, IMAGES = 320;

    private final float[][] images = new float[IMAGES][];
    private final int[] labels = new int[IMAGES];
    private final long seed;

    SyntheticPairs(long seed) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] patterns = new float[CLASSES][], colours = new float[CLASSES][CHANNELS];
        for (int c = 0; c < CLASSES; c++) {
            patterns[c] = pattern(random);
            for (int ch = 0; ch < CHANNELS; ch++) colours[c][ch] = (float) (2 * random.nextDouble() - 1);
        }
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = i % CLASSES;
            float contrast = 0.7f + 0.6f * (float) random.nextDouble();
            float[] image = new float[PIXELS];
            for (int p = 0; p < PIXELS; p++) {
                float colour = colours[labels[i]][p / (SIDE * SIDE)];
                image[p] = colour + contrast * patterns[labels[i]][p] + (float) (0.3 * random.nextGaussian());
            }
            images[i] = image;
        }
    }

    /** One class's pattern: per channel, three plane waves of unit amplitude in total. */
    private static float[] pattern(SplittableRandom random) {
        float[] p = new float[PIXELS];
        for (int ch = 0; ch < CHANNELS; ch++) {
            for (int wave = 0; wave < 3; wave++) {
                double angle = 2 * Math.PI * random.nextDouble(), cycles = 1 + 3 * random.nextDouble();
                double fx = 2 * Math.PI * cycles * Math.cos(angle) / SIDE, fy = 2 * Math.PI * cycles * Math.sin(angle) / SIDE;
                double phase = 2 * Math.PI * random.nextDouble();
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) p[(ch * SIDE + y) * SIDE + x] += (float) (Math.sin(fx * x + fy * y + phase) / 3);
                }
            }
        }
        return p;
    }

    /**
     * Step {@code step}'s batch of {@code pairs} pairs: the first images of the pairs, then the second ones, into
     * {@code pixels} (2·pairs images, channel-major), and 1 (same class) or 0 into {@code targets}; even pairs are
     * same-class pairs, odd ones different.
     */
    void batch(long step, int pairs, float[] pixels, float[] targets) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1)));
        for (int k = 0; k < pairs; k++) {
            int a = random.nextInt(IMAGES), b;
            boolean same = k % 2 == 0;
            do {
                b = random.nextInt(IMAGES);
            } while (b == a || (labels[b] == labels[a]) != same);
            System.arraycopy(images[a], 0, pixels, k * PIXELS, PIXELS);
            System.arraycopy(images[b], 0, pixels, (pairs + k) * PIXELS, PIXELS);
            targets[k] = same ? 1f : 0f;
        }
    }
}
