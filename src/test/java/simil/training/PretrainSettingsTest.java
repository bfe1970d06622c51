package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** simil pretrain's settings are range-checked, naming the option, and a batch must fit in an epoch's images. */
class PretrainSettingsTest {
    private static PretrainSettings settings(int batch, int imagesPerEpoch) {
        return new PretrainSettings("tiny", "tok", 1, batch, 1e-3f, 0.05f, 10, imagesPerEpoch, 0.4, true, 0f, 1L);
    }

    @Test
    void aBatchMustFitInAnEpochsImages() {
        PretrainSettings fits = settings(64, 0);
        assertSame(fits, fits.validateFor(64));
        assertEquals("--batch 64: must be at most 63, the training images of an epoch",
                assertThrows(IllegalArgumentException.class, () -> fits.validateFor(63)).getMessage());
        assertEquals("--batch 64: must be at most 50, the training images of an epoch",
                assertThrows(IllegalArgumentException.class, () -> settings(64, 50).validateFor(1000)).getMessage());
    }

    @Test
    void valuesOutOfRangeNameTheOption() {
        assertEquals("--batch 0: must be 1 or more", assertThrows(IllegalArgumentException.class, () -> settings(0, 0).validate()).getMessage());
        assertEquals("--images-per-epoch -2: must be 0 (the whole train split) or more",
                assertThrows(IllegalArgumentException.class, () -> settings(8, -2).validate()).getMessage());
    }
}
