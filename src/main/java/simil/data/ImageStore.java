package simil.data;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.IntStream;

/**
 * All decoded images of an archive, memory-mapped from the cache file: 64x64 RGB bytes per image, channel-major,
 * with their class labels. Indices run over every loaded image (train, then val, then test). Safe for concurrent reads.
 */
public final class ImageStore {
    private static final float INV_255 = 1f / 255f;

    private final Path file;
    private final ImageCacheFile.Description description;
    private final MappedByteBuffer[] pixels;

    private ImageStore(Path file, ImageCacheFile.Description description, MappedByteBuffer[] pixels) {
        this.file = file;
        this.description = description;
        this.pixels = pixels;
    }

    /** Maps the cache {@code file}, checking it was made for {@code key} and that no byte changed; {@link DataException} otherwise. */
    static ImageStore open(Path file, String key) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ImageCacheFile.Description d = ImageCacheFile.read(channel, key);
            MappedByteBuffer[] pixels = ImageCacheFile.mapPixels(channel, d.labels().length);
            ImageCacheFile.verifyPixels(pixels, d.imageCrcs());
            return new ImageStore(file, d, pixels);
        } catch (IOException e) {
            throw new DataException("cannot read cache " + file + ": " + e.getMessage(), e);
        }
    }

    /** Number of images. */
    public int size() {
        return description.labels().length;
    }

    /** Class index of image {@code i}, or -1 for an unlabelled test image. */
    public int label(int i) {
        return description.labels()[i];
    }

    /** The folder image {@code i} came from. */
    public Origin origin(int i) {
        return Origin.values()[description.origins()[i]];
    }

    /** Indices of all images from {@code origin}, ascending. */
    public int[] indicesOf(Origin origin) {
        return IntStream.range(0, size()).filter(i -> description.origins()[i] == origin.ordinal()).toArray();
    }

    /** Number of classes. */
    public int classCount() {
        return description.wnids().size();
    }

    /** WordNet id of class {@code c}, e.g. "n01443537". */
    public String wnid(int c) {
        return description.wnids().get(c);
    }

    /** Human-readable name of class {@code c} from words.txt, e.g. "goldfish, Carassius auratus". */
    public String className(int c) {
        return description.classNames().get(c);
    }

    /** The images left out as unreadable when the cache was built, each as a one-line reason naming the file. */
    public List<String> skipped() {
        return description.skipped();
    }

    /** The memory-mapped cache file. */
    public Path cacheFile() {
        return file;
    }

    /** Copies the channel-major bytes of image {@code i} into {@code dst[offset ..]}. */
    public void copyPixels(int i, byte[] dst, int offset) {
        pixels[i / ImageCacheFile.IMAGES_PER_SEGMENT]
                .get((i % ImageCacheFile.IMAGES_PER_SEGMENT) * JpegDecoder.IMAGE_BYTES, dst, offset, JpegDecoder.IMAGE_BYTES);
    }

    /** Writes images {@code indices} as floats in [0, 1], then normalized, into {@code out} in NCHW layout (n, 3, 64, 64). */
    public void toFloats(int[] indices, float[] out, Normalization norm) {
        toFloats(indices, FloatBuffer.wrap(out), norm);
    }

    /** Like {@link #toFloats(int[], float[], Normalization)}, into a buffer (a backend's staging buffer) from index 0. */
    public void toFloats(int[] indices, FloatBuffer out, Normalization norm) {
        checkRoom(indices, out);
        byte[] image = new byte[JpegDecoder.IMAGE_BYTES];
        for (int n = 0; n < indices.length; n++) {
            copyPixels(indices[n], image, 0);
            scale(image, out, n, norm);
        }
    }

    /** Like {@link #toFloats(int[], float[], Normalization)}, with each image augmented for {@code epoch}. */
    public void toFloats(int[] indices, float[] out, Normalization norm, RandomCropFlip augmentation, long epoch) {
        toFloats(indices, FloatBuffer.wrap(out), norm, augmentation, epoch);
    }

    /** Like {@link #toFloats(int[], FloatBuffer, Normalization)}, with each image augmented for {@code epoch}. */
    public void toFloats(int[] indices, FloatBuffer out, Normalization norm, RandomCropFlip augmentation, long epoch) {
        checkRoom(indices, out);
        byte[] image = new byte[JpegDecoder.IMAGE_BYTES];
        byte[] augmented = new byte[JpegDecoder.IMAGE_BYTES];
        for (int n = 0; n < indices.length; n++) {
            copyPixels(indices[n], image, 0);
            augmentation.apply(image, augmented, indices[n], epoch);
            scale(augmented, out, n, norm);
        }
    }

    private static void checkRoom(int[] indices, FloatBuffer out) {
        if (out.capacity() < (long) indices.length * JpegDecoder.IMAGE_BYTES) {
            throw new IllegalArgumentException("output holds " + out.capacity() + " floats, need " + (long) indices.length * JpegDecoder.IMAGE_BYTES);
        }
    }

    /** Image bytes (channel-major) as floats in [0, 1], then normalized, into slot {@code n} of {@code out} (NCHW). */
    public static void scale(byte[] image, float[] out, int n, Normalization norm) {
        scale(image, FloatBuffer.wrap(out), n, norm);
    }

    /** Like {@link #scale(byte[], float[], int, Normalization)}, into a buffer by absolute index. */
    public static void scale(byte[] image, FloatBuffer out, int n, Normalization norm) {
        int plane = JpegDecoder.SIDE * JpegDecoder.SIDE;
        int base = n * JpegDecoder.IMAGE_BYTES;
        for (int c = 0; c < 3; c++) {
            float mean = norm.mean()[c];
            float invStd = 1f / norm.std()[c];
            for (int p = c * plane; p < (c + 1) * plane; p++) {
                out.put(base + p, ((image[p] & 0xFF) * INV_255 - mean) * invStd);
            }
        }
    }
}
