package simil.training;

import java.util.SplittableRandom;
import simil.tensor.Rng;

/**
 * BEiT's blockwise masking (Bao et al. 2021, Algorithm 1, as in the official MaskingGenerator): repeatedly
 * draw a rectangle of s patches, s uniform in [minimum block, remaining budget], aspect ratio r log-uniform
 * in [0.3, 1/0.3], at a uniform position, and mask its patches, until {@code target} patches are masked.
 * A block is accepted only when it adds between 1 and the remaining budget of new patches, so the count
 * never overshoots the target; it can stop a few short when ten draws in a row add nothing (small budgets
 * late in the loop). For BEiT's 14×14 grid the minimum block is 16 patches; it is scaled to the grid as
 * max(4, round(16·N/196)) (5 for an 8×8 grid). The mask of an image is a pure function of (seed, image, epoch).
 */
public final class BlockwiseMasking {
    private static final int ATTEMPTS = 10;
    private static final double MIN_ASPECT = 0.3;

    private final int height, width, target, minBlock;
    private final long seed;

    /** {@code ratio}: the fraction of patches to mask (BEiT: 0.4). */
    public BlockwiseMasking(int height, int width, double ratio, long seed) {
        if (height < 2 || width < 2) throw new IllegalArgumentException("grid " + height + "×" + width + " too small to mask blocks");
        if (!(ratio > 0 && ratio < 1)) throw new IllegalArgumentException("mask ratio " + ratio + " not in (0, 1)");
        this.height = height;
        this.width = width;
        int n = height * width;
        this.target = (int) Math.round(ratio * n);
        this.minBlock = Math.max(4, (int) Math.round(16.0 * n / 196));
        this.seed = seed;
    }

    /** The BEiT setting for a square grid: 40% of patches. */
    public static BlockwiseMasking beit(int grid, long seed) {
        return new BlockwiseMasking(grid, grid, 0.4, seed);
    }

    public int patches() { return height * width; }

    /** Patches a mask holds at most (the loop never overshoots it). */
    public int target() { return target; }

    public int minBlock() { return minBlock; }

    /** The mask of {@code image} in {@code epoch}: 1 = masked, row-major over the grid, written into {@code out[offset ..]}. */
    public void mask(long image, long epoch, int[] out, int offset) {
        SplittableRandom random = new SplittableRandom(Rng.bits(Rng.derive(seed, epoch), image));
        java.util.Arrays.fill(out, offset, offset + height * width, 0);
        int count = 0;
        while (count < target) {
            int added = addBlock(random, out, offset, target - count);
            if (added == 0) break;
            count += added;
        }
    }

    /** Convenience: a fresh mask array. */
    public int[] mask(long image, long epoch) {
        int[] out = new int[height * width];
        mask(image, epoch, out, 0);
        return out;
    }

    /** One block of at most {@code budget} new patches; returns how many it masked (0 after ten failed draws). */
    int addBlock(SplittableRandom random, int[] mask, int offset, int budget) {
        double logLow = Math.log(MIN_ASPECT), logHigh = -logLow;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // As the reference: uniform between the minimum block and the budget, whichever is larger.
            double area = minBlock + (budget - minBlock) * random.nextDouble();
            double aspect = Math.exp(logLow + (logHigh - logLow) * random.nextDouble());
            int h = (int) Math.round(Math.sqrt(area * aspect));
            int w = (int) Math.round(Math.sqrt(area / aspect));
            if (w >= width || h >= height) continue;
            int top = random.nextInt(height - h + 1), left = random.nextInt(width - w + 1);
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
}
