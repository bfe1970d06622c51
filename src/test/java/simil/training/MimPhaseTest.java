package simil.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.cli.SyntheticTinyImageNet;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;
import simil.models.beit.BeitConfig;
import simil.optim.Adam;
import simil.optim.ConstantLr;
import simil.tensor.Backend;
import simil.tensor.BlockwiseMasking;
import simil.tokenizer.KMeansTokenizer;
import simil.tokenizer.PatchSample;
import simil.tokenizer.Tokenizer;

/**
 * Masked image modeling end to end on a tiny archive: masks drawn and listed on the device, each step's loss, right
 * tokens and masked patches in its outcome row, validation over fixed masks; the same seed gives the same numbers.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class MimPhaseTest {
    @Parameter
    Backend be;

    @TempDir
    Path dir;

    private static final int BATCH = 4, VOCABULARY = 16, EPOCHS = 2;
    private final BeitConfig config = new BeitConfig(64, 8, 32, 2, 2, 4, 0.1f, 0f, 1e-6f, true, VOCABULARY, 24, 32, 0.3f, 5, false);
    private final BlockwiseMasking masking = BlockwiseMasking.beit(8);

    @Test
    void stepsCountTheirMaskedPatchesOnTheDeviceAndRepeatForASeed() throws Exception {
        ImageStore store = TinyImageNet.load(SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 12), Subset.ALL, dir.resolve("cache"),
                false, ResumeAfterKillTest.QUIET);
        Splits splits = Splits.carve(store, 1, 1, 3);
        Tokenizer tokenizer = KMeansTokenizer.fit(be, PatchSample.draw(be, store, splits.train().indices(), 600, 1).patches(),
                VOCABULARY, 2, 1, ResumeAfterKillTest.QUIET);
        PretrainSettings settings = new PretrainSettings("tiny", "tokenizer", EPOCHS, BATCH, 1e-3f, 0.05f, 0, 0, 0.4, true, 0, 5);

        float[] first = run(settings, tokenizer, store, splits), again = run(settings, tokenizer, store, splits);
        assertArrayEquals(first, again, "the same seed, the same losses, right tokens and masked patches");
        int steps = MimPhase.stepsPerEpoch(settings, splits.train().size());
        boolean varies = false;
        for (int s = 0; s < EPOCHS * steps; s++) {
            float loss = first[3 * s], right = first[3 * s + 1], masked = first[3 * s + 2];
            varies |= masked != first[2];
            assertTrue(masked <= BATCH * masking.target() && masked >= BATCH * (masking.target() - masking.minBlock()), "step " + s + ": " + masked);
            assertTrue(right >= 0 && right <= masked && Float.isFinite(loss), "step " + s + ": " + Arrays.toString(first));
        }
        assertTrue(varies, "each batch masks its own count: " + Arrays.toString(first));
        int validation = splits.validation().size(), validated = (int) first[first.length - 1];
        assertTrue(validated <= validation * masking.target() && validated >= validation * (masking.target() - masking.minBlock()),
                validated + " masked over " + validation + " validation images");
        assertEquals(Math.log(VOCABULARY), first[0], 0.5, "an untrained head predicts near-uniformly");
    }

    /** Every step's outcome row, then the validation's loss, accuracy and count, from a fresh model. */
    private float[] run(PretrainSettings settings, Tokenizer tokenizer, ImageStore store, Splits splits) {
        MimModel model = new MimModel(be, config, BATCH, masking.target());
        Adam adam = Adam.adamW(model.parameters(), settings.weightDecay());
        MimPhase phase = new MimPhase(model, tokenizer, store, splits.train(), splits.validation(),
                Normalization.measure(store, splits.train().indices()), settings, adam, new ConstantLr(settings.lr()));
        int steps = phase.stepsPerEpoch();
        float[] all = new float[3 * EPOCHS * steps + 3];
        try (StepOutcomes outcomes = new StepOutcomes(be, EPOCHS * steps)) {
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                phase.beginEpoch(epoch);
                for (int s = 0; s < steps; s++) phase.step(epoch, s, settings.lr(), outcomes.row(epoch * steps + s));
            }
            outcomes.readUpTo(outcomes.size());
            for (int s = 0; s < outcomes.size(); s++) {
                all[3 * s] = outcomes.loss(s);
                all[3 * s + 1] = outcomes.correct(s);
                all[3 * s + 2] = outcomes.count(s);
            }
        }
        Phase.StepResult validation = phase.validate();
        all[all.length - 3] = (float) validation.loss();
        all[all.length - 2] = validation.correct();
        all[all.length - 1] = validation.count();
        return all;
    }
}
