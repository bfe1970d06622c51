package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** BEiT's blockwise masks drawn on the backend ({@link RandomOps#blockwiseMask}): the paper's ratio and block shapes, per image. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class BlockwiseMaskingTest {
    @Parameter
    Backend be;

    private final BlockwiseMasking masking = BlockwiseMasking.beit(8);

    /** The op's masks [images.length, 64] for the images {@code images}. */
    private int[] masks(long seed, int... images) {
        Tensor mask = be.intZeros(images.length, masking.patches());
        be.random().blockwiseMask(be.fromIntArray(images, images.length), masking, seed, mask);
        return be.toIntArray(mask);
    }

    @Test
    void scalesTheMinimumBlockAndTargetToTheGrid() {
        assertEquals(26, masking.target());
        assertEquals(5, masking.minBlock());
        assertEquals(16, BlockwiseMasking.beit(14).minBlock());
        assertEquals(78, BlockwiseMasking.beit(14).target());
    }

    @Test
    void masksAboutFortyPercentAndNeverOvershoots() {
        int images = 2000, n = masking.patches();
        int[] all = masks(7, java.util.stream.IntStream.range(0, images).toArray());
        double sum = 0;
        for (int i = 0; i < images; i++) {
            int count = Arrays.stream(all, i * n, (i + 1) * n).sum();
            assertTrue(count <= masking.target(), "image " + i + " masked " + count);
            assertTrue(count >= masking.target() - masking.minBlock(), "image " + i + " masked only " + count);
            sum += count;
        }
        double fraction = sum / images / n;
        assertTrue(fraction > 0.37 && fraction <= 0.41, "mean masked fraction " + fraction);
    }

    /** Rows drawn in parallel in one batch equal the reference drawn one image at a time, wherever an image sits. */
    @Test
    void eachRowIsThePureFunctionOfSeedAndImage() {
        int n = masking.patches();
        int[] images = {3, 99_999, 3, 0, 41, 7, 1 << 20, 12, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18};
        int[] batch = masks(5, images), expected = new int[n];
        for (int i = 0; i < images.length; i++) {
            masking.mask(5, images[i], expected, 0);
            assertArrayEquals(expected, Arrays.copyOfRange(batch, i * n, (i + 1) * n), "row " + i + ", image " + images[i]);
            assertArrayEquals(expected, masks(5, images[i]), "image " + images[i] + " alone");
        }
        assertFalse(Arrays.equals(masks(5, 3), masks(6, 3)), "another seed");
        assertFalse(Arrays.equals(masks(5, 3), masks(5, 4)), "another image");
        assertThrows(IllegalArgumentException.class, () -> be.random().blockwiseMask(be.fromIntArray(images, images.length), masking, 5,
                be.intZeros(images.length, n - 1)));
    }

    @Test
    void aSingleBlockIsAFilledRectangleWithinTheAspectRange() {
        BlockwiseMasking.Draws draws = new BlockwiseMasking.Draws(11);
        int blocks = 0;
        for (int draw = 0; draw < 500; draw++) {
            int[] mask = new int[64];
            int added = masking.addBlock(draws, mask, 0, masking.target());
            if (added == 0) continue;
            blocks++;
            int top = 8, bottom = -1, left = 8, right = -1;
            for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) if (mask[i * 8 + j] == 1) {
                top = Math.min(top, i); bottom = Math.max(bottom, i); left = Math.min(left, j); right = Math.max(right, j);
            }
            int h = bottom - top + 1, w = right - left + 1;
            assertEquals(h * w, added, "draw " + draw + ": masked cells fill their bounding box");
            assertTrue(added <= masking.target() && h < 8 && w < 8, h + "×" + w);
            // Rounding the sides of a block of at least 5 patches stays near the 0.3–3.3 aspect range.
            assertTrue((double) h / w >= 0.2 && (double) h / w <= 5, h + "×" + w);
        }
        assertTrue(blocks > 400, blocks + " of 500 draws placed a block");
    }

    @Test
    void theStreamsDrawsAreUniform() {
        BlockwiseMasking.Draws draws = new BlockwiseMasking.Draws(3);
        int[] counts = new int[7];
        double sum = 0;
        for (int k = 0; k < 70_000; k++) {
            counts[draws.below(7)]++;
            sum += draws.uniform();
        }
        for (int c : counts) assertEquals(10_000, c, 400);
        assertEquals(0.5, sum / 70_000, 0.005);
    }
}
