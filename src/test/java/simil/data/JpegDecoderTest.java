package simil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegDecoderTest {
    private final JpegDecoder decoder = new JpegDecoder();

    private int[] centreRgb(byte[] jpeg) throws IOException {
        byte[] out = new byte[JpegDecoder.IMAGE_BYTES];
        decoder.decode(jpeg, out, 0);
        int p = 32 * 64 + 32;
        return new int[] {out[p] & 0xFF, out[4096 + p] & 0xFF, out[8192 + p] & 0xFF};
    }

    private static void assertNear(int[] expected, int[] actual) {
        for (int c = 0; c < 3; c++) {
            if (Math.abs(expected[c] - actual[c]) > 6) throw new AssertionError(Arrays.toString(expected) + " != " + Arrays.toString(actual));
        }
    }

    @Test
    void rgbImageIsStoredChannelMajor() throws IOException {
        assertNear(new int[] {200, 40, 90}, centreRgb(Fixtures.jpeg(64, 64, 0xC8285A)));
    }

    @Test
    void otherSizesAreResizedTo64() throws IOException {
        assertNear(new int[] {30, 160, 220}, centreRgb(Fixtures.jpeg(128, 90, 0x1EA0DC)));
    }

    @Test
    void greyscaleKeepsItsValueInAllThreeChannels() throws IOException {
        assertNear(new int[] {100, 100, 100}, centreRgb(Fixtures.greyJpeg(64, 64, 100)));
        assertNear(new int[] {100, 100, 100}, centreRgb(Fixtures.greyJpeg(32, 48, 100)));
    }

    @Test
    void cmykBecomesRgbWithInvertedInks() throws IOException {
        // Stored (255, 0, 0, 255) means no cyan or black, full magenta and yellow: red.
        assertNear(new int[] {255, 0, 0}, centreRgb(Fixtures.cmykJpeg(new int[] {255, 0, 0, 255})));
    }

    /** Decodes resource {@code jpeg} and compares it with {@code expected} (Pillow's RGB of it): {mean, max} absolute error. */
    private double[] errorAgainst(String jpeg, String expected) throws IOException {
        byte[] out = new byte[JpegDecoder.IMAGE_BYTES];
        try (InputStream in = getClass().getResourceAsStream(jpeg)) {
            decoder.decode(in.readAllBytes(), out, 0);
        }
        BufferedImage pillow;
        try (InputStream in = getClass().getResourceAsStream(expected)) {
            pillow = ImageIO.read(in);
        }
        double sum = 0, max = 0;
        for (int p = 0; p < 4096; p++) {
            int rgb = pillow.getRGB(p % 64, p / 64);
            for (int c = 0; c < 3; c++) {
                int e = Math.abs((out[c * 4096 + p] & 0xFF) - ((rgb >> (16 - 8 * c)) & 0xFF));
                sum += e;
                max = Math.max(max, e);
            }
        }
        return new double[] {sum / (3 * 4096), max};
    }

    @Test
    void cmykAndYcckJpegsGetPillowsColours() throws IOException {
        // Fixtures and Pillow's decodes of them from tools/fixtures/make_cmyk_jpegs.py; the JDK's own conversion is 57/255 off.
        for (String name : new String[] {"cmyk", "ycck"}) {
            double[] error = errorAgainst("/jpeg/" + name + ".jpg", "/jpeg/" + name + ".pillow.png");
            assertTrue(error[0] < 0.5 && error[1] <= 2, name + ": mean " + error[0] + ", max " + error[1]);
        }
    }

    @Test
    void aHeaderClaimingTooManyPixelsIsRefusedBeforeDecoding() {
        byte[] jpeg = Fixtures.jpeg(64, 64, 0x336699);
        int sof = 2;
        while (!((jpeg[sof] & 0xFF) == 0xFF && (jpeg[sof + 1] & 0xFF) == 0xC0)) sof++;
        ByteBuffer.wrap(jpeg).putShort(sof + 5, (short) 60000).putShort(sof + 7, (short) 60000);
        // Decoding it would take 10.8 GB of pixels, more than this JVM has.
        IOException e = assertThrows(IOException.class, () -> centreRgb(jpeg));
        assertTrue(e.getMessage().startsWith("its header claims 60000×60000 pixels, more than the 100 million"), e.getMessage());
    }

    @Test
    void garbageAndTruncatedJpegsAreRejected() {
        byte[] good = Fixtures.jpeg(7);
        assertThrows(IOException.class, () -> centreRgb("not a jpeg".getBytes()));
        assertThrows(IOException.class, () -> centreRgb(Arrays.copyOf(good, good.length / 2)));
    }
}
