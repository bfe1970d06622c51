package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomCropFlipTest {
    /** Every pixel of channel c at (y, x) holds a value that encodes its position. */
    private static byte[] gradient() {
        byte[] image = new byte[JpegDecoder.IMAGE_BYTES];
        for (int c = 0; c < 3; c++) for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) image[c * 4096 + y * 64 + x] = (byte) (x + 3 * y + 50 * c);
        return image;
    }

    private static byte[] apply(RandomCropFlip aug, int image, long epoch) {
        byte[] out = new byte[JpegDecoder.IMAGE_BYTES];
        aug.apply(gradient(), out, image, epoch);
        return out;
    }

    @Test
    void sameSeedImageAndEpochGiveTheSameResult() {
        assertArrayEquals(apply(RandomCropFlip.standard(1), 5, 2), apply(RandomCropFlip.standard(1), 5, 2));
    }

    @Test
    void outcomesVaryOverEpochsAndStayWithinTheReflectedPadding() {
        RandomCropFlip aug = RandomCropFlip.standard(1);
        Set<String> outcomes = new HashSet<>();
        byte[] src = gradient();
        for (int epoch = 0; epoch < 200; epoch++) {
            byte[] out = apply(aug, 5, epoch);
            // Search the 9 x 9 shifts and 2 flips for the one that explains the whole image.
            int found = -1;
            for (int dy = -4; dy <= 4 && found < 0; dy++) {
                for (int dx = -4; dx <= 4 && found < 0; dx++) {
                    for (int f = 0; f < 2 && found < 0; f++) {
                        if (matches(src, out, dx, dy, f == 1)) {
                            found = 1;
                            outcomes.add(dx + "," + dy + "," + f);
                        }
                    }
                }
            }
            assertEquals(1, found, "epoch " + epoch + " is not a reflect-padded crop");
        }
        assertTrue(outcomes.size() > 50, "only " + outcomes.size() + " distinct crops in 200 epochs");
    }

    private static boolean matches(byte[] src, byte[] out, int dx, int dy, boolean flip) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int sx = reflect((flip ? 63 - x : x) + dx);
                    int sy = reflect(y + dy);
                    if (out[c * 4096 + y * 64 + x] != src[c * 4096 + sy * 64 + sx]) return false;
                }
            }
        }
        return true;
    }

    private static int reflect(int v) {
        return v < 0 ? -v : v > 63 ? 126 - v : v;
    }
}
