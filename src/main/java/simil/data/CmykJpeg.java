package simil.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Four-channel JPEGs (CMYK, and YCCK: Adobe transform 2) to RGB as Pillow converts them, so that the engine sees the
 * colours the PyTorch reference pipelines (torchvision's Pillow loaders) see: inks stored inverted (the Adobe
 * convention, which Pillow assumes for every CMYK JPEG), R = (255 − C)(255 − K)/255 in Pillow's rounding, no ICC
 * profile. YCCK's first three channels go through libjpeg's own fixed-point YCbCr transform first. The JDK's
 * reader converts these itself, wrongly (a mean error of 57/255 against Pillow); its raw raster is exact.
 */
final class CmykJpeg {
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";
    private static final int ADOBE_YCCK = 2;
    private static final int SCALEBITS = 16, ONE_HALF = 1 << (SCALEBITS - 1);

    private CmykJpeg() {}

    /** The JPEG's Adobe transform when it has four components, or -1 when it has fewer (decode it as usual). */
    static int fourChannelTransform(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || !FORMAT.equals(metadata.getNativeMetadataFormatName())) return -1;
        Element tree = (Element) metadata.getAsTree(FORMAT);
        NodeList sof = tree.getElementsByTagName("sof");
        if (sof.getLength() == 0 || ((Element) sof.item(0)).getElementsByTagName("componentSpec").getLength() != 4) return -1;
        NodeList adobe = tree.getElementsByTagName("app14Adobe");
        return adobe.getLength() == 0 ? 0 : Integer.parseInt(((Element) adobe.item(0)).getAttribute("transform"));
    }

    /** Decodes the four-channel JPEG in {@code reader} (Adobe {@code transform}) to RGB. */
    static BufferedImage read(ImageReader reader, int transform) throws IOException {
        Raster raw = reader.readRaster(0, null);
        int w = raw.getWidth(), h = raw.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        int[] s = new int[4 * w];
        for (int y = 0, p = 0; y < h; y++) {
            raw.getPixels(raw.getMinX(), raw.getMinY() + y, w, 1, s);
            for (int x = 0; x < w; x++, p++) {
                int c = s[4 * x], m = s[4 * x + 1], ye = s[4 * x + 2], k = s[4 * x + 3];
                if (transform == ADOBE_YCCK) {
                    // libjpeg's ycck_cmyk_convert: YCbCr to RGB in fixed point, then inverted to the stored inks.
                    int luma = c, cb = m - 128, cr = ye - 128;
                    c = 255 - clamp(luma + rightShift(fix(1.40200) * cr + ONE_HALF));
                    m = 255 - clamp(luma + rightShift(-fix(0.34414) * cb + ONE_HALF - fix(0.71414) * cr));
                    ye = 255 - clamp(luma + rightShift(fix(1.77200) * cb + ONE_HALF));
                }
                // Pillow's "CMYK;I" unpacking, then cmyk2rgb: nk − nk·C/255 with the ink C = 255 − stored.
                bgr[3 * p + 2] = (byte) (k - mulDiv255(255 - c, k));
                bgr[3 * p + 1] = (byte) (k - mulDiv255(255 - m, k));
                bgr[3 * p] = (byte) (k - mulDiv255(255 - ye, k));
            }
        }
        return rgb;
    }

    /** Pillow's MULDIV255: a·b/255 rounded, in integers. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALEBITS) + 0.5);
    }

    private static int rightShift(int x) {
        return x >> SCALEBITS;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
