package simil.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** The tokenizer's input on the backend: patch extraction ({@code ConvOps}) and per-patch standardization ({@code NormOps}). */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class PatchGridTest {
    private final Backend be;

    PatchGridTest(Backend be) {
        this.be = be;
    }

    @Test
    void patchesAreRowMajorOverTheGridAndChannelMajorInside() {
        float[] image = new float[2 * 3 * 64 * 64];
        for (int i = 0; i < image.length; i++) image[i] = i;
        Tensor patches = be.zeros(2 * 64, 192);
        be.conv().extractPatches(be.fromArray(image, 2, 3, 64, 64), PatchGrid.PATCH, patches);
        float[] p = be.toArray(patches);
        for (int n = 0; n < 2; n++) for (int gy = 0; gy < 8; gy++) for (int gx = 0; gx < 8; gx++) {
            for (int c = 0; c < 3; c++) for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) {
                float expected = n * 3 * 4096 + c * 4096 + (gy * 8 + y) * 64 + gx * 8 + x;
                assertEquals(expected, p[((n * 8 + gy) * 8 + gx) * 192 + (c * 8 + y) * 8 + x]);
            }
        }
    }

    /** The host formula the op replaced: statistics in double, the patch mapped in float by its mean and 1/scale. */
    @Test
    void standardizedPatchesMatchTheHostFormulaExactlyAndMapBack() {
        int count = 3, rows = count * 64;
        Tensor images = be.fromArray(SyntheticImages.make(count, 3), count, 3, 64, 64);
        Tensor pixels = be.zeros(rows, 192), normalized = be.zeros(rows, 192), mean = be.zeros(rows), scale = be.zeros(rows);
        be.conv().extractPatches(images, PatchGrid.PATCH, pixels);
        PatchGrid.normalizedPatches(images, normalized, mean, scale);
        float[] x = be.toArray(pixels), y = be.toArray(normalized), m = be.toArray(mean), s = be.toArray(scale);
        float[] expected = new float[x.length], restored = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double sum = 0, sq = 0;
            for (int i = r * 192; i < (r + 1) * 192; i++) sum += x[i];
            double mu = sum / 192;
            for (int i = r * 192; i < (r + 1) * 192; i++) sq += (x[i] - mu) * (x[i] - mu);
            float sc = (float) Math.sqrt(sq / 192 + PatchGrid.EPS), inv = 1f / sc, muF = (float) mu;
            assertEquals(muF, m[r], "mean of patch " + r);
            assertEquals(sc, s[r], "scale of patch " + r);
            for (int i = r * 192; i < (r + 1) * 192; i++) {
                expected[i] = (x[i] - muF) * inv;
                restored[i] = y[i] * s[r] + m[r];
            }
        }
        assertArrayEquals(expected, y);
        assertArrayEquals(x, restored, 1e-5f);
        Tensor withoutStatistics = be.zeros(rows, 192);
        PatchGrid.normalizedPatches(images, withoutStatistics, null, null);
        assertArrayEquals(y, be.toArray(withoutStatistics));
    }
}
