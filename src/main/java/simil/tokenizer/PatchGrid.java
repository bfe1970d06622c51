package simil.tokenizer;

/**
 * The 8×8×3 patches a tokenizer reads: image [3, 64, 64] → 64 patch vectors of 192 values, patches
 * row-major over the 8×8 grid (the order of BEiT's patch tokens), each vector channel-major (c, y, x) as a
 * patch-embedding convolution reads it. Each patch is normalized by its own mean and scale so that the
 * tokens describe structure, not brightness; reconstructions are mapped back with the same two numbers.
 */
public final class PatchGrid {
    public static final int SIDE = 64, PATCH = 8, CHANNELS = 3, GRID = SIDE / PATCH, PATCHES = GRID * GRID;
    public static final int DIM = CHANNELS * PATCH * PATCH;
    /** Added to the patch variance: flat patches normalize to zeros instead of amplified noise. */
    public static final float EPS = 1e-3f;

    private PatchGrid() {}

    /** Patches of {@code count} images [count, 3, 64, 64] into {@code out} [count·64, 192]. */
    public static void extract(float[] images, int count, float[] out) {
        int plane = SIDE * SIDE;
        for (int n = 0; n < count; n++) {
            int image = n * CHANNELS * plane;
            for (int gy = 0; gy < GRID; gy++) for (int gx = 0; gx < GRID; gx++) {
                int row = ((n * GRID + gy) * GRID + gx) * DIM;
                for (int c = 0; c < CHANNELS; c++) for (int y = 0; y < PATCH; y++) {
                    System.arraycopy(images, image + c * plane + (gy * PATCH + y) * SIDE + gx * PATCH,
                            out, row + (c * PATCH + y) * PATCH, PATCH);
                }
            }
        }
    }

    /** In place: each row of {@code patches} [rows, 192] becomes (x − mean) / scale, scale = √(var + EPS); mean and scale kept. */
    public static void normalize(float[] patches, int rows, float[] mean, float[] scale) {
        for (int r = 0; r < rows; r++) {
            int base = r * DIM;
            double s = 0, q = 0;
            for (int i = base; i < base + DIM; i++) s += patches[i];
            double m = s / DIM;
            for (int i = base; i < base + DIM; i++) q += (patches[i] - m) * (patches[i] - m);
            float sc = (float) Math.sqrt(q / DIM + EPS), inv = 1f / sc, mf = (float) m;
            for (int i = base; i < base + DIM; i++) patches[i] = (patches[i] - mf) * inv;
            mean[r] = mf;
            scale[r] = sc;
        }
    }

    /** Inverse of {@link #normalize}, in place. */
    public static void denormalize(float[] patches, int rows, float[] mean, float[] scale) {
        for (int r = 0; r < rows; r++) {
            for (int i = r * DIM; i < (r + 1) * DIM; i++) patches[i] = patches[i] * scale[r] + mean[r];
        }
    }
}
