package simil.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import simil.evaluation.EpochMetrics;
import simil.evaluation.MetricsCsv;
import simil.io.ModelDirectory;
import simil.io.SafeTensors;
import simil.tensor.Backend;

/**
 * A real kill: {@code simil train} runs in a child JVM and is killed (SIGKILL) once its first epoch is
 * checkpointed; resuming that directory must end with bit-for-bit the weights of an uninterrupted run.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class ResumeAfterKillTest {
    @Parameter
    Backend be;

    static final int EPOCHS = 3;

    @TempDir
    Path dir;

    @Test
    void resumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path killed = dir.resolve("killed"), uninterrupted = dir.resolve("uninterrupted");
        Process child = new SimilProcess(dir).start("train", "train", "matchnet", "--recipe", "seed", "--data", zip.toString(),
                "--holdout", "1", "--val-per-class", "2", "--batch", "2", "--epochs", "" + EPOCHS, "--device", be.device().name(), "--out", killed.toString());
        Thread killer = new Thread(() -> killAfterFirstCheckpoint(child, killed));
        killer.start();

        Recipe recipe = Recipe.seedRecipe().withBatch(2).withEpochs(EPOCHS);
        ImageStore store = TinyImageNet.load(zip, Subset.ALL, dir.resolve("cache"), false, QUIET);
        Splits splits = Splits.carve(store, 1, 1, 2);
        DataFingerprint data = DataFingerprint.of(zip, null, null, 1, 2, 1);
        new TrainingRun(Architectures.build(be, "matchnet", recipe), recipe, data, store, splits, uninterrupted, QUIET).run(false);

        killer.join();
        int epochsAtKill = epochsDone(killed);
        assertTrue(epochsAtKill >= 1 && epochsAtKill < EPOCHS, "killed after " + epochsAtKill + " epochs: not mid-run");
        new TrainingRun(Architectures.build(be, "matchnet", recipe), recipe, data, store, splits, killed, QUIET).run(true);

        Map<String, SafeTensors.Entry> expected = SafeTensors.read(uninterrupted.resolve(ModelDirectory.WEIGHTS)).entries();
        Map<String, SafeTensors.Entry> actual = SafeTensors.read(killed.resolve(ModelDirectory.WEIGHTS)).entries();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> assertArrayEquals(e.floats(), actual.get(name).floats(), name + " differs after resume"));
        assertEquals(EPOCHS, epochsDone(killed));
        assertEquals(withoutSeconds(MetricsCsv.read(uninterrupted.resolve("metrics.csv"))),
                withoutSeconds(MetricsCsv.read(killed.resolve("metrics.csv"))), "every epoch's metrics, as an uninterrupted run's");
        // The steps the kill interrupted were cut from the log on resume and logged again: each step once, in order.
        assertEquals(loggedSteps(uninterrupted), loggedSteps(killed));
    }

    /** Each line of a run's steps.jsonl as (phase, global step, loss, lr): what no two runs of one recipe tell apart. */
    static List<String> loggedSteps(Path run) throws java.io.IOException {
        return Files.readAllLines(run.resolve(StepLog.FILE)).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .map(o -> o.get("phase").getAsString() + " " + o.get("global_step") + " " + o.get("loss") + " " + o.get("lr")).toList();
    }

    /** Metrics rows with their wall time (which no two runs share) zeroed. */
    static List<EpochMetrics> withoutSeconds(List<EpochMetrics> rows) {
        return rows.stream().map(r -> new EpochMetrics(r.epoch(), r.lr(), r.trainLoss(), r.trainAcc(), r.valLoss(), r.valAcc(), 0, r.phase()))
                .toList();
    }

    private static void killAfterFirstCheckpoint(Process child, Path run) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (child.isAlive() && epochsDone(run) < 1 && System.nanoTime() < deadline) Thread.sleep(10);
            child.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int epochsDone(Path run) {
        Path state = run.resolve("checkpoint").resolve("state.json");
        try {
            return JsonParser.parseString(Files.readString(state)).getAsJsonObject().get("epochs_done").getAsInt();
        } catch (java.io.IOException | RuntimeException notYetWritten) {
            return 0;
        }
    }

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
}
