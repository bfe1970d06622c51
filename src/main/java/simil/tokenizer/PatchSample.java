package simil.tokenizer;

import java.util.Arrays;
import java.util.SplittableRandom;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * Normalized patches [n, 192] on a backend, drawn from images of a split: {@code count} patches from distinct
 * (image, position) pairs chosen by a seed, with each patch's mean and scale [n] kept so reconstructions can
 * return to pixels.
 */
public record PatchSample(Tensor patches, Tensor mean, Tensor scale) {
    /** Images uploaded at a time while drawing. */
    private static final int IMAGES = 256;

    public int count() { return patches.dim(0); }

    /** Up to {@code count} patches of the images {@code indices} (all their patches when there are fewer). */
    public static PatchSample draw(Backend backend, ImageStore store, int[] indices, int count, long seed) {
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
        int[] chosen = Arrays.copyOf(slots, n);
        Arrays.sort(chosen);
        Tensor patches = backend.zeros(n, PatchGrid.DIM);
        int pixels = PatchGrid.CHANNELS * PatchGrid.SIDE * PatchGrid.SIDE;
        // Batches of distinct images: upload, cut into patches, and gather the chosen ones into place.
        for (int k = 0; k < n; ) {
            int[] images = new int[IMAGES];
            int[] rows = new int[Math.min(n - k, IMAGES * perImage)];
            int loaded = 0, taken = 0;
            for (int last = -1; k + taken < n; taken++) {
                int img = chosen[k + taken] / perImage;
                if (img != last) {
                    if (loaded == IMAGES) break;
                    images[loaded++] = indices[img];
                    last = img;
                }
                rows[taken] = (loaded - 1) * perImage + chosen[k + taken] % perImage;
            }
            float[] staging = new float[loaded * pixels];
            store.toFloats(Arrays.copyOf(images, loaded), staging, Normalization.NONE);
            try (Tensor batch = backend.fromArray(staging, loaded, PatchGrid.CHANNELS, PatchGrid.SIDE, PatchGrid.SIDE);
                 Tensor all = backend.zeros(loaded * perImage, PatchGrid.DIM);
                 Tensor ids = backend.fromIntArray(Arrays.copyOf(rows, taken), taken)) {
                backend.conv().extractPatches(batch, PatchGrid.PATCH, all);
                backend.attention().embeddingForward(all, ids, patches.slice(k, k + taken));
            }
            k += taken;
        }
        return normalized(patches);
    }

    /** Every patch of images [n, 3, 64, 64] with pixels in [0, 1]. */
    public static PatchSample of(Tensor images) {
        Tensor patches = images.backend().zeros(images.dim(0) * PatchGrid.PATCHES, PatchGrid.DIM);
        images.backend().conv().extractPatches(images, PatchGrid.PATCH, patches);
        return normalized(patches);
    }

    /** Normalizes pixel patches [n, 192] in place into a sample. */
    private static PatchSample normalized(Tensor patches) {
        Backend backend = patches.backend();
        int n = patches.dim(0);
        Tensor mean = backend.zeros(n), scale = backend.zeros(n);
        backend.norms().standardizeRows(patches, PatchGrid.EPS, patches, mean, scale);
        return new PatchSample(patches, mean, scale);
    }

    /** Rows [from, to), sharing this sample's tensors. */
    public PatchSample rows(int from, int to) {
        return new PatchSample(patches.slice(from, to), mean.slice(from, to), scale.slice(from, to));
    }
}
