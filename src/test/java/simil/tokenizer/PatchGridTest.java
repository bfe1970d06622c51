package simil.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PatchGridTest {
    @Test
    void patchesAreRowMajorOverTheGridAndChannelMajorInside() {
        float[] image = new float[3 * 64 * 64];
        for (int i = 0; i < image.length; i++) image[i] = i;
        float[] patches = new float[64 * 192];
        PatchGrid.extract(image, 1, patches);
        int gy = 2, gx = 5, c = 1, y = 3, x = 6;
        float expected = c * 4096 + (gy * 8 + y) * 64 + gx * 8 + x;
        assertEquals(expected, patches[(gy * 8 + gx) * 192 + (c * 8 + y) * 8 + x]);
    }

    @Test
    void normalizeThenDenormalizeRestoresThePatch() {
        float[] p = SyntheticImages.make(1, 3);
        float[] patches = new float[64 * 192];
        PatchGrid.extract(p, 1, patches);
        float[] original = patches.clone();
        float[] mean = new float[64], scale = new float[64];
        PatchGrid.normalize(patches, 64, mean, scale);
        double s = 0;
        for (int i = 0; i < 192; i++) s += patches[i];
        assertEquals(0, s / 192, 1e-5);
        PatchGrid.denormalize(patches, 64, mean, scale);
        assertArrayEquals(original, patches, 1e-5f);
    }
}
