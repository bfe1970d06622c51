package simil.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns JPEG bytes into a 64x64 RGB image stored channel-major (all R, then all G, then all B).
 * Other sizes are resized bilinearly; grayscale, CMYK and YCCK become RGB (as Pillow makes them); headers are checked
 * before decoding ({@link ImageDecoding}). One instance per thread: the reader is reused.
 */
public final class JpegDecoder {
    /** Side of the decoded square images. */
    public static final int SIDE = 64;
    /** Bytes per decoded image: 3 channels of SIDE x SIDE. */
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    private final ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();

    /** Decodes {@code jpeg} into {@code out[offset .. offset + IMAGE_BYTES)}; throws {@link IOException} when the bytes are not a sound image. */
    public void decode(byte[] jpeg, byte[] out, int offset) throws IOException {
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in, true, true);
            toChannelMajor(ImageDecoding.read(reader), out, offset);
        } finally {
            reader.setInput(null);
        }
    }

    /** Resizes any decoded image to 64x64 RGB (bilinear) into {@code out[offset .. offset + IMAGE_BYTES)}, channel-major. */
    public static void toChannelMajor(BufferedImage image, byte[] out, int offset) {
        int plane = SIDE * SIDE;
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && image.getWidth() == SIDE && image.getHeight() == SIDE) {
            // Drawing grey into RGB would gamma-convert it (Java's grey space is linear); copy the values instead.
            byte[] grey = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int c = 0; c < 3; c++) System.arraycopy(grey, 0, out, offset + c * plane, plane);
            return;
        }
        BufferedImage bgr = image;
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR || image.getWidth() != SIDE || image.getHeight() != SIDE) {
            bgr = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = bgr.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image.getType() == BufferedImage.TYPE_BYTE_GRAY ? greyToRgb(image) : image, 0, 0, SIDE, SIDE, null);
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        for (int p = 0; p < plane; p++) {
            out[offset + p] = pixels[3 * p + 2];
            out[offset + plane + p] = pixels[3 * p + 1];
            out[offset + 2 * plane + p] = pixels[3 * p];
        }
    }

    private static BufferedImage greyToRgb(BufferedImage grey) {
        BufferedImage rgb = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Raster src = grey.getRaster();
        byte[] dst = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        for (int y = 0, p = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++, p++) {
                byte v = (byte) src.getSample(x, y, 0);
                dst[3 * p] = v;
                dst[3 * p + 1] = v;
                dst[3 * p + 2] = v;
            }
        }
        return rgb;
    }
}
