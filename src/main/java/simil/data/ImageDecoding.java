package simil.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one image through an ImageIO reader, refusing what would do harm: a header that claims more pixels than
 * {@link #MAX_PIXELS} is refused before anything is allocated for them (a 60000×60000 claim would need 14 GB), and
 * a reader's warning (truncated data, which it fills with grey) is an error. Four-channel JPEGs get Pillow's
 * colours ({@link CmykJpeg}).
 */
public final class ImageDecoding {
    /** The most pixels one image may have: a 10000×10000 photo, 400 MB as ARGB. */
    static final long MAX_PIXELS = 100_000_000L;

    private ImageDecoding() {}

    /** A sound header that claims too many pixels to decode. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** Decodes image 0 of the input set on {@code reader}; {@link IOException} saying why when it is not a sound image. */
    static BufferedImage read(ImageReader reader) throws IOException {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        try {
            long width = reader.getWidth(0), height = reader.getHeight(0);
            if (width * height > MAX_PIXELS) {
                throw new TooLarge(String.format(Locale.ROOT, "its header claims %d×%d pixels, more than the %d million an image may have",
                        width, height, MAX_PIXELS / 1_000_000));
            }
            // The JDK's JPEG reader has no raw type for four channels; only then is the marker read for CMYK or YCCK.
            int transform = reader.getRawImageType(0) == null ? CmykJpeg.fourChannelTransform(reader) : -1;
            BufferedImage image = transform >= 0 ? CmykJpeg.read(reader, transform) : reader.read(0);
            if (!warnings.isEmpty()) throw new IOException(String.join("; ", warnings));
            return image;
        } catch (RuntimeException e) {
            // Malformed headers surface as runtime exceptions from inside the codec.
            throw new IOException(e.toString(), e);
        } finally {
            reader.removeIIOReadWarningListener(listener);
        }
    }

    /**
     * Decodes an image file in any format ImageIO reads (JPEG, PNG, BMP, GIF, ...); null when no reader knows it. The
     * {@link IOException} says "corrupt image (why)", or why the image is too large.
     */
    public static BufferedImage readFile(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new IOException("cannot open it");
            return read(in);
        }
    }

    /** As {@link #readFile}, for an image file's bytes (an entry of a zip). */
    public static BufferedImage readBytes(byte[] bytes) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return read(in);
        }
    }

    private static BufferedImage read(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) return null;
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            return read(reader);
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("corrupt image (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }
}
