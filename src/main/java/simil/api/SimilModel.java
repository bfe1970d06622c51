package simil.api;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import simil.backend.Backends;
import simil.data.ImageSources;
import simil.data.JpegDecoder;
import simil.models.PairModel;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.scoring.ImageEmbedder;
import simil.tensor.Backend;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/**
 * A trained Simil model (a directory from {@code simil train}, {@code simil import-hf} ...) for use from Java: embed
 * images once, then score pairs of embeddings, the probability that two images show the same thing. Images of any
 * size are resized to 64×64 RGB as {@code simil compare} does it, and {@code similarity} of two images is the
 * probability {@code simil compare} prints for them.
 *
 * <pre>{@code
 * SimilModel model = SimilModel.load(Path.of("runs/quick"));
 * float[] a = model.embed(Path.of("a.jpg")), b = model.embed(Path.of("b.jpg"));
 * float p = model.similarity(a, b);            // in (0, 1)
 * boolean same = p >= model.threshold();       // the threshold simil eval chose, else 0.5
 * }</pre>
 *
 * <p>Failures are unchecked exceptions with a one-line message naming the file at fault: {@code simil.io.CheckpointException}
 * for a model directory, {@code simil.data.DataException} for an image, {@link IllegalArgumentException} for a device
 * or an embedding of the wrong size. Calls on one instance take turns (its layers reuse their buffers); use one
 * instance per thread to compute in parallel.
 */
public final class SimilModel {
    private final ImageEmbedder embedder;
    private final DecisionThreshold threshold;

    private SimilModel(ImageEmbedder embedder, DecisionThreshold threshold) {
        this.embedder = embedder;
        this.threshold = threshold;
    }

    /** The model in {@code dir}, computing on the CPU. */
    public static SimilModel load(Path dir) {
        return load(dir, "cpu");
    }

    /** The model in {@code dir}, computing on {@code device} (as {@code --device} takes it: cpu, cuda, cuda:N). */
    public static SimilModel load(Path dir, String device) {
        Backend backend = Backends.open(device);
        PairModel model = ModelFiles.load(backend, dir);
        return new SimilModel(new ImageEmbedder(model, ModelFiles.readNormalization(dir)), DecisionThreshold.read(dir));
    }

    /** "matchnet" or "beit". */
    public String architecture() { return embedder.model().architecture(); }

    /** Floats per embedding. */
    public int embeddingSize() { return embedder.model().embeddingSize(); }

    /** The probability at and above which two images count as similar: the one {@code simil eval} chose, else 0.5. */
    public float threshold() { return threshold.value(); }

    /** Where {@link #threshold()} comes from, in words, with the file it was read from. */
    public String thresholdSource() { return threshold.describe(); }

    /** The embedding of an image of any size. */
    public float[] embed(BufferedImage image) {
        return embed(List.of(image))[0];
    }

    /** The embedding of an image file in any format ImageIO reads (JPEG, PNG, BMP, GIF, ...). */
    public float[] embed(Path imageFile) {
        byte[] pixels = new byte[JpegDecoder.IMAGE_BYTES];
        ImageSources.readFile(imageFile, pixels, 0);
        return embed(pixels, 1)[0];
    }

    /** The embeddings of several images, computed in batches (faster than one at a time). */
    public float[][] embed(List<BufferedImage> images) {
        byte[] pixels = new byte[images.size() * JpegDecoder.IMAGE_BYTES];
        for (int i = 0; i < images.size(); i++) JpegDecoder.toChannelMajor(images.get(i), pixels, i * JpegDecoder.IMAGE_BYTES);
        return embed(pixels, images.size());
    }

    private synchronized float[][] embed(byte[] pixels, int count) {
        Backend backend = embedder.model().backend();
        try (Tensor e = embedder.embed(pixels, count)) {
            float[] flat = backend.toArray(e);
            float[][] rows = new float[count][];
            int f = embeddingSize();
            for (int i = 0; i < count; i++) rows[i] = Arrays.copyOfRange(flat, i * f, (i + 1) * f);
            return rows;
        }
    }

    /** The probability that the images of embeddings {@code a} and {@code b} show the same thing. */
    public synchronized float similarity(float[] a, float[] b) {
        int f = embeddingSize();
        for (float[] e : new float[][] {a, b}) {
            if (e.length != f) throw new IllegalArgumentException("an embedding of " + e.length + " floats; this " + architecture() + " makes " + f);
        }
        Backend backend = embedder.model().backend();
        try (Tensor ta = backend.fromArray(a, 1, f); Tensor tb = backend.fromArray(b, 1, f)) {
            return Sigmoid.of(backend.toArray(embedder.model().metric().forward(ta, tb, false))[0]);
        }
    }

    /** The probability that two images show the same thing. */
    public float similarity(BufferedImage a, BufferedImage b) {
        float[][] e = embed(List.of(a, b));
        return similarity(e[0], e[1]);
    }

    /** The probability that two image files show the same thing: what {@code simil compare} prints for them. */
    public float similarity(Path a, Path b) {
        byte[] pixels = new byte[2 * JpegDecoder.IMAGE_BYTES];
        ImageSources.readFile(a, pixels, 0);
        ImageSources.readFile(b, pixels, JpegDecoder.IMAGE_BYTES);
        float[][] e = embed(pixels, 2);
        return similarity(e[0], e[1]);
    }
}
