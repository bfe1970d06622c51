package simil.models.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.data.Normalization;
import simil.io.CheckpointException;
import simil.io.ModelDirectory;
import simil.models.PairModel;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;

/** Model directories: a saved model loads back exactly; a mismatched or damaged one fails with one clear line. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class ModelFilesTest {
    @Parameter
    Backend be;

    @TempDir
    Path dir;

    private MatchNet small(int bottleneck, long seed) {
        return new MatchNet(be, new MatchNetConfig(bottleneck, 16, 0f, false, seed));
    }

    private String failure(Path modelDir) {
        String message = assertThrows(CheckpointException.class, () -> ModelFiles.load(be, modelDir)).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void savedModelLoadsBackIdentically() throws IOException {
        MatchNet model = small(8, 3);
        ModelFiles.save(model, dir);
        PairModel loaded = ModelFiles.load(be, dir);
        model.stateTensors().forEach((name, t) -> assertArrayEquals(t.backend().toArray(t),
                loaded.stateTensors().get(name).backend().toArray(loaded.stateTensors().get(name)), name));
    }

    @Test
    void weightsOfAnotherSizeAreRefusedByShape() throws IOException {
        ModelFiles.save(small(8, 3), dir);
        Path config = dir.resolve(ModelDirectory.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"bottleneck\": 8", "\"bottleneck\": 4"));
        String message = failure(dir);
        assertTrue(message.contains("'tower.bottleneck.weight' has shape [8, 4096], the model expects [4, 4096]"), message);
    }

    @Test
    void batchNormWeightsIntoAPlainModelAreUnexpected() throws IOException {
        ModelFiles.save(new MatchNet(be, new MatchNetConfig(8, 16, 0f, true, 3)), dir);
        Path config = dir.resolve(ModelDirectory.CONFIG);
        Files.writeString(config, Files.readString(config).replace("\"batch_norm\": true", "\"batch_norm\": false"));
        assertTrue(failure(dir).contains("missing"), "a plain conv has a bias the batch-norm checkpoint lacks");
    }

    @Test
    void directoryWithoutConfigIsNotAModel() {
        assertTrue(failure(dir).contains("is not a model directory"));
    }

    @Test
    void unknownArchitectureAndIncompleteConfigAreNamed() throws IOException {
        Files.writeString(dir.resolve(ModelDirectory.CONFIG), "{\"architecture\": \"resnet\"}");
        assertTrue(failure(dir).contains("unknown architecture 'resnet'"));
        Files.writeString(dir.resolve(ModelDirectory.CONFIG), "{\"architecture\": \"matchnet\"}");
        assertTrue(failure(dir).contains("incomplete matchnet config"));
    }

    @Test
    void missingWeightsFileIsNamed() throws IOException {
        ModelFiles.save(small(8, 3), dir);
        Files.delete(dir.resolve(ModelDirectory.WEIGHTS));
        assertTrue(failure(dir).contains(ModelDirectory.WEIGHTS + ": no such file"));
    }

    @Test
    void normalizationRoundTripsAndDefaultsToNone() throws IOException {
        assertArrayEquals(Normalization.NONE.std(), ModelFiles.readNormalization(dir).std());
        ModelFiles.writeNormalization(dir, Normalization.IMAGENET);
        assertArrayEquals(Normalization.IMAGENET.mean(), ModelFiles.readNormalization(dir).mean());
        Files.writeString(dir.resolve(ModelDirectory.NORMALIZATION), "{\"mean\": [1]}");
        assertThrows(CheckpointException.class, () -> ModelFiles.readNormalization(dir));
    }
}
