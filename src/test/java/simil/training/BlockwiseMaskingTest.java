package simil.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockwiseMaskingTest {
    private final BlockwiseMasking masking = BlockwiseMasking.beit(8, 7);

    @Test
    void scalesTheMinimumBlockAndTargetToTheGrid() {
        assertEquals(26, masking.target());
        assertEquals(5, masking.minBlock());
        assertEquals(16, BlockwiseMasking.beit(14, 1).minBlock());
        assertEquals(78, BlockwiseMasking.beit(14, 1).target());
    }

    @Test
    void masksAboutFortyPercentAndNeverOvershoots() {
        double sum = 0;
        int images = 2000;
        for (int i = 0; i < images; i++) {
            int count = Arrays.stream(masking.mask(i, 0)).sum();
            assertTrue(count <= masking.target(), "image " + i + " masked " + count);
            assertTrue(count >= masking.target() - masking.minBlock(), "image " + i + " masked only " + count);
            sum += count;
        }
        double fraction = sum / images / masking.patches();
        assertTrue(fraction > 0.37 && fraction <= 0.41, "mean masked fraction " + fraction);
    }

    @Test
    void isAPureFunctionOfSeedImageAndEpoch() {
        assertArrayEquals(masking.mask(3, 5), BlockwiseMasking.beit(8, 7).mask(3, 5));
        assertFalse(Arrays.equals(masking.mask(3, 5), masking.mask(3, 6)));
        assertFalse(Arrays.equals(masking.mask(3, 5), masking.mask(4, 5)));
        assertFalse(Arrays.equals(masking.mask(3, 5), BlockwiseMasking.beit(8, 8).mask(3, 5)));
    }

    @Test
    void aSingleBlockIsAFilledRectangleWithinTheAspectRange() {
        SplittableRandom random = new SplittableRandom(11);
        for (int draw = 0; draw < 500; draw++) {
            int[] mask = new int[64];
            int added = masking.addBlock(random, mask, 0, masking.target());
            if (added == 0) continue;
            int top = 8, bottom = -1, left = 8, right = -1;
            for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) if (mask[i * 8 + j] == 1) {
                top = Math.min(top, i); bottom = Math.max(bottom, i); left = Math.min(left, j); right = Math.max(right, j);
            }
            int h = bottom - top + 1, w = right - left + 1;
            assertEquals(h * w, added, "draw " + draw + ": masked cells fill their bounding box");
            assertTrue(added <= masking.target() && h < 8 && w < 8);
            // Rounding the sides of a block of at least 5 patches stays near the 0.3–3.3 aspect range.
            assertTrue((double) h / w >= 0.2 && (double) h / w <= 5, h + "×" + w);
        }
    }
}
