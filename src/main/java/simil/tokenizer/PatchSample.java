package simil.tokenizer;

import java.util.SplittableRandom;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.tensor.Rng;

/**
 * Normalized patches drawn from images of a split: {@code count} patches from distinct (image, position)
 * pairs chosen by a seed, with each patch's mean and scale kept so reconstructions can return to pixels.
 */
public record PatchSample(float[] patches, float[] mean, float[] scale, int count) {
    /** Up to {@code count} patches of the images {@code indices} (all their patches when there are fewer). */
    public static PatchSample draw(ImageStore store, int[] indices, int count, long seed) {
        int perImage = PatchGrid.PATCHES;
        long available = (long) indices.length * perImage;
        int n = (int) Math.min(count, available);
        // A seeded partial shuffle of (image, position) slots; sorted by image so each image is read once.
        int[] slots = new int[(int) available];
        for (int i = 0; i < slots.length; i++) slots[i] = i;
        SplittableRandom random = new SplittableRandom(Rng.derive(seed, 1));
        for (int k = 0; k < n; k++) {
            int j = k + random.nextInt(slots.length - k);
            int t = slots[k]; slots[k] = slots[j]; slots[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(slots, n);
        java.util.Arrays.sort(chosen);
        float[] image = new float[PatchGrid.CHANNELS * PatchGrid.SIDE * PatchGrid.SIDE];
        float[] all = new float[perImage * PatchGrid.DIM];
        float[] patches = new float[n * PatchGrid.DIM];
        int lastImage = -1;
        for (int k = 0; k < n; k++) {
            int img = chosen[k] / perImage, pos = chosen[k] % perImage;
            if (img != lastImage) {
                store.toFloats(new int[] {indices[img]}, image, Normalization.NONE);
                PatchGrid.extract(image, 1, all);
                lastImage = img;
            }
            System.arraycopy(all, pos * PatchGrid.DIM, patches, k * PatchGrid.DIM, PatchGrid.DIM);
        }
        return fromPixels(patches, n);
    }

    /** Normalizes pixel patches [n, 192] (in place) into a sample. */
    public static PatchSample fromPixels(float[] patches, int n) {
        float[] mean = new float[n], scale = new float[n];
        PatchGrid.normalize(patches, n, mean, scale);
        return new PatchSample(patches, mean, scale, n);
    }

    /** Rows [from, to) as a new sample. */
    public PatchSample rows(int from, int to) {
        return new PatchSample(java.util.Arrays.copyOfRange(patches, from * PatchGrid.DIM, to * PatchGrid.DIM),
                java.util.Arrays.copyOfRange(mean, from, to), java.util.Arrays.copyOfRange(scale, from, to), to - from);
    }
}
