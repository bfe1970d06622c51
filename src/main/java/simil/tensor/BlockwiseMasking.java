package simil.tensor;

import java.util.Arrays;

/**
 * BEiT's blockwise masking (Bao et al. 2021, Algorithm 1, as in the official MaskingGenerator), the contract of
 * {@link RandomOps#blockwiseMask}: repeatedly draw a rectangle of s patches, s uniform in [minimum block, remaining
 * budget], aspect ratio r log-uniform in [0.3, 1/0.3], at a uniform position, and mask its patches, until
 * {@code target} patches are masked. A block is accepted only when it adds between 1 and the remaining budget of new
 * patches, so the count never overshoots the target; it can stop a few short when ten draws in a row add nothing
 * (small budgets late in the loop). For BEiT's 14×14 grid the minimum block is 16 patches; it is scaled to the grid
 * as max(4, round(16·N/196)) (5 for an 8×8 grid).
 *
 * <p>The random numbers: image {@code image} of a mask with seed {@code s} draws from its own counter-based stream,
 * draw k being {@code Rng.bits(Rng.bits(s, image), k)} for k = 0, 1, 2, … in the order {@link #mask} consumes them
 * (a uniform in [0, 1) is its top 53 bits · 2^-53, an integer below m is (top 32 bits · m) >> 32). So a mask depends on
 * (seed, image) alone, never on its position in a batch or the thread that draws it, and a GPU can draw one image per
 * thread block with the same numbers.
 */
public final class BlockwiseMasking {
    private static final int ATTEMPTS = 10;
    /** ln 0.3: block aspect ratios are log-uniform in [0.3, 1/0.3]. */
    private static final double LOG_MIN_ASPECT = Math.log(0.3);

    private final int height, width, target, minBlock;

    /** {@code ratio}: the fraction of patches to mask (BEiT: 0.4). */
    public BlockwiseMasking(int height, int width, double ratio) {
        if (height < 2 || width < 2) throw new IllegalArgumentException("grid " + height + "×" + width + " too small to mask blocks");
        if (!(ratio > 0 && ratio < 1)) throw new IllegalArgumentException("mask ratio " + ratio + " not in (0, 1)");
        this.height = height;
        this.width = width;
        int n = height * width;
        this.target = (int) Math.round(ratio * n);
        this.minBlock = Math.max(4, (int) Math.round(16.0 * n / 196));
    }

    /** The BEiT setting for a square grid: 40% of patches. */
    public static BlockwiseMasking beit(int grid) {
        return new BlockwiseMasking(grid, grid, 0.4);
    }

    public int height() { return height; }

    public int width() { return width; }

    public int patches() { return height * width; }

    /** Patches a mask holds at most (the loop never overshoots it). */
    public int target() { return target; }

    public int minBlock() { return minBlock; }

    /** ln of the smallest aspect ratio, the very bits the draws use (a GPU kernel is handed them, not its own log). */
    public static double logMinAspect() { return LOG_MIN_ASPECT; }

    /**
     * The mask (1 = masked, row-major over the grid) of {@code image} with seed {@code seed}, written into
     * {@code out[offset ..]}: the reference a backend's {@link RandomOps#blockwiseMask} computes for every image.
     */
    public void mask(long seed, long image, int[] out, int offset) {
        Draws draws = new Draws(Rng.bits(seed, image));
        Arrays.fill(out, offset, offset + height * width, 0);
        int count = 0;
        while (count < target) {
            int added = addBlock(draws, out, offset, target - count);
            if (added == 0) break;
            count += added;
        }
    }

    /** One block of at most {@code budget} new patches; returns how many it masked (0 after ten failed draws). */
    int addBlock(Draws draws, int[] mask, int offset, int budget) {
        double logLow = LOG_MIN_ASPECT, logHigh = -logLow;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // As the reference: uniform between the minimum block and the budget, whichever is larger.
            double area = minBlock + (budget - minBlock) * draws.uniform();
            double aspect = Math.exp(logLow + (logHigh - logLow) * draws.uniform());
            int h = (int) Math.round(Math.sqrt(area * aspect));
            int w = (int) Math.round(Math.sqrt(area / aspect));
            if (w >= width || h >= height) continue;
            int top = draws.below(height - h + 1), left = draws.below(width - w + 1);
            int already = 0;
            for (int i = top; i < top + h; i++) for (int j = left; j < left + w; j++) already += mask[offset + i * width + j];
            int fresh = h * w - already;
            if (fresh > 0 && fresh <= budget) {
                for (int i = top; i < top + h; i++) for (int j = left; j < left + w; j++) mask[offset + i * width + j] = 1;
                return fresh;
            }
        }
        return 0;
    }

    /** An image's stream: draw k is {@code Rng.bits(stream, k)}. */
    static final class Draws {
        private final long stream;
        private long next;

        Draws(long stream) { this.stream = stream; }

        /** Uniform in [0, 1). */
        double uniform() { return (Rng.bits(stream, next++) >>> 11) * 0x1.0p-53; }

        /** Uniform integer in [0, bound), bound ≥ 1. */
        int below(int bound) { return (int) (((Rng.bits(stream, next++) >>> 32) * bound) >>> 32); }
    }
}
