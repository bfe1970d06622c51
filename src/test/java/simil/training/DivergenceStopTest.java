package simil.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.cli.Architectures;
import simil.cli.SimilProcess;
import simil.cli.SyntheticTinyImageNet;
import simil.data.DataFingerprint;
import simil.data.ImageStore;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;
import simil.io.AtomicFiles;
import simil.io.ModelDirectory;
import simil.tensor.Backend;

/** A learning rate that blows the loss up stops training with one clear line and leaves the last good checkpoint. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class DivergenceStopTest {
    @Parameter
    Backend be;

    @TempDir
    Path dir;

    @Test
    void divergenceInTheSecondEpochKeepsTheFirstEpochsCheckpoint() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        ImageStore store = TinyImageNet.load(zip, Subset.ALL, dir.resolve("cache"), false, ResumeAfterKillTest.QUIET);
        Splits splits = Splits.carve(store, 1, 1, 2);
        DataFingerprint data = DataFingerprint.of(zip, null, null, 1, 2, 1);
        Path run = dir.resolve("run");
        Recipe firstEpoch = Recipe.seedRecipe().withBatch(2).withEpochs(1);
        new TrainingRun(Architectures.build(be, "matchnet", firstEpoch), firstEpoch, data, store, splits, run, ResumeAfterKillTest.QUIET).run(false);
        Path checkpoint = run.resolve("checkpoint");
        byte[] goodWeights = Files.readAllBytes(checkpoint.resolve(ModelDirectory.WEIGHTS));
        String goodState = Files.readString(checkpoint.resolve("state.json"));

        // The run's recorded recipe becomes one whose second epoch explodes, so resuming it diverges mid-run.
        Recipe exploding = firstEpoch.withEpochs(2).withLr(1e12f);
        AtomicFiles.writeString(run.resolve("recipe.json"), exploding.toJson());
        TrainingRun resumed = new TrainingRun(Architectures.build(be, "matchnet", exploding), exploding, data, store, splits, run,
                ResumeAfterKillTest.QUIET);
        String message = assertThrows(TrainingDivergedException.class, () -> resumed.run(true)).getMessage();

        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith("loss became") && message.contains("pairs epoch 2") && message.contains(checkpoint.toString()), message);
        assertArrayEquals(goodWeights, Files.readAllBytes(checkpoint.resolve(ModelDirectory.WEIGHTS)));
        assertEquals(goodState, Files.readString(checkpoint.resolve("state.json")));
        assertEquals(1, ResumeAfterKillTest.epochsDone(run));
    }

    @Test
    void trainCommandExitsWithOneErrorLine() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        SimilProcess.Result r = new SimilProcess(dir).run("train", "train", "matchnet", "--recipe", "seed", "--data", zip.toString(),
                "--holdout", "1", "--val-per-class", "2", "--batch", "2", "--lr", "1e12", "--device", be.device().name(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.exitCode(), r.err());
        String error = r.err().lines().filter(l -> l.startsWith("simil: error: loss became")).findFirst().orElseThrow(() -> new AssertionError(r.err()));
        // The first epoch never finished: the message may not name a checkpoint that does not exist.
        assertTrue(error.endsWith("no epoch had finished, so there is no checkpoint to resume from"), error);
        assertFalse(Files.exists(dir.resolve("run").resolve("checkpoint")));
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.err());
        assertFalse(Files.exists(dir.resolve("run").resolve(ModelDirectory.WEIGHTS)), "a diverged run writes no model");
    }
}
