package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.optim.Adam;
import simil.tensor.Backend;
import simil.tensor.BlockwiseMasking;
import simil.tensor.Rng;
import simil.tensor.Tensor;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class MimModelTest {
    @Parameter
    Backend be;
    private final BeitConfig config = new BeitConfig(64, 8, 32, 2, 2, 4, 0.1f, 0f, 1e-6f, true, 16, 24, 32, 0.3f, 5, false);
    private final BlockwiseMasking masking = BlockwiseMasking.beit(8);

    @Test
    void lossFallsOnAFixedBatchAndOnlyMaskedPatchesCount() {
        int batch = 4;
        MimModel model = new MimModel(be, config, batch, masking.target());
        Tensor images = be.zeros(batch, 3, 64, 64);
        be.random().normal(images, 0f, 1f, 11);
        Tensor mask = be.intZeros(batch, 64);
        be.random().blockwiseMask(be.fromIntArray(new int[] {0, 1, 2, 3}, batch), masking, 3, mask);
        int[] maskValues = be.toIntArray(mask);
        int[] codes = new int[batch * 64];
        for (int i = 0; i < codes.length; i++) codes[i] = (int) Long.remainderUnsigned(Rng.bits(4, i), 16);

        int masked = 0;
        for (int v : maskValues) masked += v;
        Adam adam = Adam.adamW(model.parameters(), 0.05f);
        Tensor tokens = be.fromIntArray(codes, batch, 64);
        float first = be.toArray(model.forward(images, mask, tokens, true))[0];
        Tensor count = be.zeros(1);
        model.countMasked(count);
        assertEquals(masked, be.toArray(count)[0]);
        assertEquals(Math.log(16), first, 0.5, "an untrained head predicts near-uniformly");
        float last = first;
        for (int step = 0; step < 15; step++) {
            last = be.toArray(model.forward(images, mask, tokens, true))[0];
            model.backward(batch);
            adam.step(1e-2f);
            adam.zeroGrad();
        }
        last = be.toArray(model.forward(images, mask, tokens, true))[0];
        assertTrue(last < first - 0.2f, "loss " + first + " → " + last);

        // Targets of unmasked patches are never read: changing them leaves the loss as it was.
        int[] changed = codes.clone();
        for (int i = 0; i < changed.length; i++) if (maskValues[i] == 0) changed[i] = (changed[i] + 1) % 16;
        assertEquals(last, be.toArray(model.forward(images, mask, be.fromIntArray(changed, batch, 64), true))[0], 0f);
    }

    @Test
    void savedDirectoryInitializesTheBeitPairModel(@TempDir Path dir) throws Exception {
        MimModel model = new MimModel(be, config, 2, masking.target());
        be.random().normal(model.encoder().parameters().get(0).value(), 0f, 1f, 21);
        model.save(dir);
        Beit pair = Beit.forTraining(be, null, dir, 9);
        float[] expected = be.toArray(model.encoder().parameters().get(0).value());
        float[] actual = be.toArray(pair.encoder().parameters().get(0).value());
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
        assertEquals(config.dim(), pair.beitConfig().dim());
    }
}
