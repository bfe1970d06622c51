package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.cli.SimilProcess;
import simil.cli.SyntheticTinyImageNet;
import simil.io.ModelDirectory;
import simil.models.files.ModelFiles;

/**
 * {@code simil train beit --recipe beit-cpu} end to end on a synthetic TinyImageNet, shortened to one epoch of each
 * phase: the cpu encoder (a convolutional stem) trained as a classifier, then the metric network.
 */
class TrainBeitCpuRecipeTest {
    @Test
    void trainsTheCpuEncoderAsAClassifierThenTheMetricNetwork(@TempDir Path dir) throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path out = dir.resolve("run");
        SimilProcess.Result result = new SimilProcess(dir).run("train", "train", "beit", "--recipe", "beit-cpu",
                "--data", zip.toString(), "--holdout", "1", "--val-per-class", "2", "--batch", "4", "--budget-minutes", "0",
                "--set", "classifierEpochs=1", "--set", "metricEpochs=1", "--set", "warmupSteps=1", "--out", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.err().contains("classifier epoch 1") && result.err().contains("metric epoch 1"), result.err());

        BeitConfig config = BeitConfig.fromJson(ModelDirectory.readConfig(out));
        assertEquals(BeitConfig.preset("cpu", 1), config, "beit-cpu builds the cpu encoder, seeded by the recipe");
        assertTrue(Files.exists(out.resolve(ModelFiles.HEAD)), "the classifier head is kept for posterior scores");
        var state = ModelFiles.load(simil.backend.Backends.open("cpu"), out).stateTensors();
        assertArrayEquals(new int[] {32, 3, 3, 3}, state.get("encoder.patch_embed.stem.0.conv.weight").shape());
        assertArrayEquals(new int[] {128, 128, 1, 1}, state.get("encoder.patch_embed.proj.weight").shape());
        assertTrue(state.containsKey("encoder.patch_embed.stem.2.bn.running_var"), state.keySet().toString());
    }
}
