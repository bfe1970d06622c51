package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.cli.SimilProcess;
import simil.cli.SyntheticTinyImageNet;
import simil.data.Normalization;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.tensor.Backend;

/** {@code simil train beit --init DIR} end to end on a synthetic TinyImageNet, with a small encoder. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class TrainBeitCommandTest {
    @Parameter
    Backend be;

    @Test
    void fineTunesAPretrainedEncoderAndWritesAModelThatLoads(@TempDir Path dir) throws Exception {
        BeitConfig small = new BeitConfig(64, 16, 16, 1, 2, 2, 0.1f, 0f, 1e-6f, true, 32, 8, 16, 0.3f, 4, false);
        Path pretrained = dir.resolve("pretrained");
        Beit start = new Beit(be, small);
        ModelFiles.save(start, pretrained);
        Normalization pretrainedPixels = new Normalization(new float[] {0.4f, 0.45f, 0.5f}, new float[] {0.2f, 0.25f, 0.3f});
        ModelFiles.writeNormalization(pretrained, pretrainedPixels);
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path out = dir.resolve("run");

        SimilProcess.Result result = new SimilProcess(dir).run("train", "train", "beit", "--init", pretrained.toString(),
                "--data", zip.toString(), "--holdout", "1", "--val-per-class", "2", "--batch", "2", "--epochs", "1",
                "--lr", "5e-5", "--weight-decay", "0.05", "--out", out.toString());
        assertEquals(0, result.exitCode(), result.err());

        PairModel trained = ModelFiles.load(be, out);
        assertEquals("beit", trained.architecture());
        String name = "encoder.blocks.0.attn.qkv.weight";
        float[] before = be.toArray(start.stateTensors().get(name)), after = be.toArray(trained.stateTensors().get(name));
        assertEquals(before.length, after.length);
        assertFalse(Arrays.equals(before, after), "fine-tuning moved the encoder");
        assertArrayEquals(new int[] {16, 3, 16, 16}, trained.stateTensors().get("encoder.patch_embed.proj.weight").shape());
        // The encoder keeps seeing pixels as it was pre-trained on them.
        assertArrayEquals(pretrainedPixels.mean(), ModelFiles.readNormalization(out).mean());
        assertArrayEquals(pretrainedPixels.std(), ModelFiles.readNormalization(out).std());
        assertTrue(Files.readString(out.resolve("recipe.json")).contains("\"optimizer\": \"adamw\""), "beit recipe by default");
    }
}
