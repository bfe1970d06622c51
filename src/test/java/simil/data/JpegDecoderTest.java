package simil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
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

    @Test
    void garbageAndTruncatedJpegsAreRejected() {
        byte[] good = Fixtures.jpeg(7);
        assertThrows(IOException.class, () -> centreRgb("not a jpeg".getBytes()));
        assertThrows(IOException.class, () -> centreRgb(Arrays.copyOf(good, good.length / 2)));
    }
}
