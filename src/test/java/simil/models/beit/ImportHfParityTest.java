package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.cli.Main;
import simil.io.CheckpointException;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;

/** Imports the tiny transformers checkpoints of tools/golden/golden_beit_hf.py and matches their forward pass. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class ImportHfParityTest {
    @Parameter
    Backend be;

    @Test
    void maskedImageModelingLayoutMatchesTransformers() {
        Golden io = Golden.load("beit_hf/io");
        Beit model = HfBeitImport.read(be, fixture("beit_hf", "model.safetensors"), fixture("beit_hf", "config.json"),
                io.intParam("image_size"), 1);
        assertEquals(1e-12f, model.beitConfig().layerNormEps());
        assertTrue(model.beitConfig().finalNorm());
        io.assertMatches("hidden", model.encoder().forward(io.tensor(be, "pixels"), null, false));
    }

    @Test
    void sharedBiasF16ClassificationLayoutResizedToASmallerGridMatchesTransformers() {
        Golden io = Golden.load("beit_hf_shared/io");
        Beit model = HfBeitImport.read(be, fixture("beit_hf_shared", "model.safetensors"),
                fixture("beit_hf_shared", "config.json"), io.intParam("image_size"), 1);
        assertEquals(2, model.beitConfig().grid());
        assertFalse(model.beitConfig().finalNorm());
        assertNull(model.encoder().norm());
        Tensor hidden = model.encoder().forward(io.tensor(be, "pixels"), null, false);
        io.assertMatches("hidden", hidden);
        Tensor mean = be.zeros(hidden.dim(0), hidden.dim(2));
        be.tensors().meanTokens(hidden, 1, mean);
        io.assertMatches("pooled", model.poolNorm().forward(mean, false));
    }

    @Test
    void commandWritesAModelDirectoryThatLoadsAndFineTunesLikeOurs(@TempDir Path dir) {
        Path out = dir.resolve("imported");
        int code = Main.run("import-hf", "--weights", fixture("beit_hf", "model.safetensors").toString(),
                "--config", fixture("beit_hf", "config.json").toString(), "--out", out.toString(), "--image-size", "16");
        assertEquals(0, code);
        PairModel loaded = ModelFiles.load(be, out);
        assertEquals("beit", loaded.architecture());
        Beit fresh = Beit.fromEncoderCheckpoint(be, out, 7);
        Golden io = Golden.load("beit_hf/io");
        io.assertMatches("hidden", fresh.encoder().forward(io.tensor(be, "pixels"), null, false));
        assertEquals(256, fresh.embed(io.tensor(be, "pixels"), false).dim(1));
        // BEiT's checkpoints see pixels in [-1, 1]: fine-tuning must feed them the same way.
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, ModelFiles.readNormalization(out).mean());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, ModelFiles.readNormalization(out).std());
    }

    @Test
    void preprocessorConfigSetsTheNormalization(@TempDir Path dir) throws IOException {
        Path preprocessor = dir.resolve("preprocessor_config.json");
        Files.writeString(preprocessor, "{\"image_mean\": [0.485, 0.456, 0.406], \"image_std\": [0.229, 0.224, 0.225], \"size\": 224}");
        Path out = dir.resolve("imported");
        assertEquals(0, Main.run("import-hf", "--weights", fixture("beit_hf", "model.safetensors").toString(),
                "--config", fixture("beit_hf", "config.json").toString(), "--preprocessor", preprocessor.toString(),
                "--out", out.toString(), "--image-size", "16"));
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, ModelFiles.readNormalization(out).mean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, ModelFiles.readNormalization(out).std());
    }

    @Test
    void missingTensorsAndUnsupportedConfigsFailWithOneLine(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(fixture("beit_hf", "config.json")).replace("\"hidden_size\": 16", "\"hidden_size\": 32"));
        CheckpointException wrongShape = assertThrows(CheckpointException.class,
                () -> HfBeitImport.read(be, fixture("beit_hf", "model.safetensors"), config, 16, 1));
        assertTrue(wrongShape.getMessage().contains("shape"), wrongShape.getMessage());

        Files.writeString(config, Files.readString(fixture("beit_hf", "config.json"))
                .replace("\"use_absolute_position_embeddings\": false", "\"use_absolute_position_embeddings\": true"));
        CheckpointException absolute = assertThrows(CheckpointException.class,
                () -> HfBeitImport.read(be, fixture("beit_hf", "model.safetensors"), config, 16, 1));
        assertTrue(absolute.getMessage().contains("absolute position embeddings"), absolute.getMessage());

        Files.writeString(config, Files.readString(fixture("beit_hf", "config.json")));
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> HfBeitImport.read(be, fixture("beit_hf_shared", "model.safetensors"), config, 16, 1));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    }

    private static Path fixture(String folder, String file) {
        try {
            return Path.of(ImportHfParityTest.class.getResource("/golden/" + folder + "/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
