package simil.data;

import simil.layers.Buffers;
import simil.tensor.Backend;
import simil.tensor.StagingBuffer;
import simil.tensor.Tensor;

/**
 * Turns store indices into an image tensor [N, 3, 64, 64] on the backend: pixels scaled to [0, 1],
 * optionally normalized per channel and augmented (crop and flip, a pure function of seed, image and epoch),
 * written into the backend's staging buffer and copied in once per batch.
 */
public final class ImageBatcher {
    public static final int SIDE = 64, CHANNELS = 3, PIXELS = CHANNELS * SIDE * SIDE;

    private final Backend backend;
    private final ImageStore store;
    private final Normalization normalization;
    private final RandomCropFlip augmentation;
    private StagingBuffer staging;
    private Tensor images;

    /** {@code augmentation} may be null (evaluation, or recipes without it). */
    public ImageBatcher(Backend backend, ImageStore store, Normalization normalization, RandomCropFlip augmentation) {
        this.backend = backend;
        this.store = store;
        this.normalization = normalization;
        this.augmentation = augmentation;
    }

    public ImageStore store() { return store; }
    public Normalization normalization() { return normalization; }

    /** The images at {@code indices}, augmented for {@code epoch} when this batcher augments. */
    public Tensor load(int[] indices, long epoch) {
        int n = indices.length;
        if (staging == null || staging.capacity() < n * PIXELS) staging = backend.stagingBuffer(n * PIXELS);
        if (augmentation == null) store.toFloats(indices, staging.floats(), normalization);
        else store.toFloats(indices, staging.floats(), normalization, augmentation, epoch);
        images = Buffers.reuse(backend, images, n, CHANNELS, SIDE, SIDE);
        backend.copyIn(staging, images);
        return images;
    }
}
