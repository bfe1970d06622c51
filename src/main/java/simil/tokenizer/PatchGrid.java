package simil.tokenizer;

import simil.tensor.Backend;
import simil.tensor.Tensor;

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

    /**
     * Normalized patches [B·64, 192] of images [B, 3, 64, 64] (pixels in [0, 1]) into {@code out}, on the backend;
     * each patch's mean and scale into {@code mean} and {@code scale} [B·64] unless null.
     */
    public static void normalizedPatches(Tensor images, Tensor out, Tensor mean, Tensor scale) {
        Backend backend = images.backend();
        backend.conv().extractPatches(images, PATCH, out);
        backend.norms().standardizeRows(out, EPS, out, mean, scale);
    }
}
