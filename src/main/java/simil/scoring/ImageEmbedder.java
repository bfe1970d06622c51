package simil.scoring;

import java.util.function.IntConsumer;
import simil.data.ImageSources;
import simil.data.ImageStore;
import simil.data.JpegDecoder;
import simil.data.Normalization;
import simil.models.PairModel;
import simil.tensor.Tensor;

/**
 * A model's embeddings of images that are not in a dataset: 64×64 channel-major bytes (as {@link ImageSources} reads
 * files) scaled and normalized as the model was trained, then embedded in evaluation mode, {@link #BATCH} at a time.
 */
public final class ImageEmbedder {
    /** Images per tower pass. */
    public static final int BATCH = 64;

    /** Puts image {@code i}'s 64×64 channel-major bytes into {@code out}. */
    @FunctionalInterface
    public interface Pixels {
        void read(int i, byte[] out);
    }

    private final PairModel model;
    private final Normalization normalization;
    private final int batch;

    public ImageEmbedder(PairModel model, Normalization normalization) {
        this(model, normalization, BATCH);
    }

    /** Embeds {@code batch} images per tower pass. */
    public ImageEmbedder(PairModel model, Normalization normalization, int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch + ": must be 1 or more");
        this.model = model;
        this.normalization = normalization;
        this.batch = batch;
    }

    public PairModel model() { return model; }

    /** Embeddings [count, F] on the model's backend of the {@code count} images in {@code pixels}, one after another. */
    public Tensor embed(byte[] pixels, int count) {
        return embed(count, (i, out) -> System.arraycopy(pixels, i * JpegDecoder.IMAGE_BYTES, out, 0, JpegDecoder.IMAGE_BYTES));
    }

    /** Embeddings [N, F] of every image of {@code images}, in their order, reading a batch of images at a time. */
    public Tensor embed(ImageSources images) {
        return embed(images, done -> {});
    }

    /** As {@link #embed(ImageSources)}, telling {@code progress} after each batch how many images are embedded. */
    public Tensor embed(ImageSources images, IntConsumer progress) {
        return embed(images.size(), (i, out) -> images.read(i, out, 0), progress);
    }

    /** Embeddings [count, F] of the images {@code pixels} reads, in order, a batch at a time. */
    public Tensor embed(int count, Pixels pixels) {
        return embed(count, pixels, done -> {});
    }

    /** As {@link #embed(int, Pixels)}, telling {@code progress} after each batch how many images are embedded. */
    public Tensor embed(int count, Pixels pixels, IntConsumer progress) {
        Tensor out = model.backend().zeros(count, model.embeddingSize());
        byte[] image = new byte[JpegDecoder.IMAGE_BYTES];
        for (int from = 0; from < count; from += batch) {
            int n = Math.min(batch, count - from);
            float[] staging = new float[n * JpegDecoder.IMAGE_BYTES];
            for (int i = 0; i < n; i++) {
                pixels.read(from + i, image);
                ImageStore.scale(image, staging, i, normalization);
            }
            try (Tensor batch = model.backend().fromArray(staging, n, 3, JpegDecoder.SIDE, JpegDecoder.SIDE)) {
                // embed returns a buffer the next call reuses: copy it out.
                model.backend().tensors().copy(model.embed(batch, false), out.slice(from, from + n));
            }
            progress.accept(from + n);
        }
        return out;
    }
}
