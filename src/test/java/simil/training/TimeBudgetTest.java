package simil.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import simil.io.Checkpoint;
import simil.io.ModelDirectory;
import simil.io.SafeTensors;
import simil.optim.Adam;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A time budget plans the run from a probe of its first steps: every planned epoch runs, a resume follows the
 * same plan, the probe changes no weight, and a budget too small for one epoch of each phase is an error
 * before any model is written.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class TimeBudgetTest {
    @Parameter
    Backend be;

    private static final long STEP_MILLIS = 100;

    @TempDir
    Path dir;

    @Test
    void theBudgetPlansTheEpochsAndEveryPlannedEpochRuns() throws IOException {
        float budgetMinutes = 1.2f / 60;
        CheckpointedEpochs epochs = new CheckpointedEpochs(nothingToSave(), dir, ResumeAfterKillTest.QUIET);
        epochs.begin(false, List.of());
        BudgetPlan plan = epochs.plan(budgetMinutes, () -> List.of(SpeedProbe.measure(nothingToSave(), new SleepingPhase(10, be), 0)));
        int planned = plan.epochsOf("sleep");
        assertTrue(planned >= 1 && planned < 10, "planned " + planned + " of 10 epochs of 0.1 s in 1.2 s with a 0.4 s probe");
        epochs.runPhase(0, new SleepingPhase(planned, be), 0);
        assertEquals(planned, epochsDone(dir));

        // A resume reads the plan instead of probing again.
        CheckpointedEpochs resumed = new CheckpointedEpochs(nothingToSave(), dir, ResumeAfterKillTest.QUIET);
        resumed.begin(true, List.of());
        assertEquals(plan, resumed.plan(budgetMinutes, () -> { throw new AssertionError("probed again on resume"); }));
    }

    @Test
    void aBudgetWithoutRoomForOneEpochFailsBeforeTheFirst() throws IOException {
        CheckpointedEpochs epochs = new CheckpointedEpochs(nothingToSave(), dir, ResumeAfterKillTest.QUIET);
        epochs.begin(false, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                epochs.plan(0.2f / 60, () -> List.of(SpeedProbe.measure(nothingToSave(), new SleepingPhase(3, be), 0))));
        assertTrue(e.getMessage().startsWith("time budget of 0.0033333334 minutes cannot hold one epoch of every phase: sleep 1 epoch ≈ 0.1 s"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve(BudgetPlan.FILE)));
        assertThrows(IllegalArgumentException.class, () -> epochs.plan(-1, List::of));
    }

    /** Batch norm, a classifier head and the metric network all train in the probe; none of it may show in the result. */
    @Test
    void aBudgetThatKeepsTheRecipesEpochsEndsWithTheWeightsOfARunWithout() throws IOException {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        ImageStore store = TinyImageNet.load(zip, Subset.ALL, dir.resolve("cache"), false, ResumeAfterKillTest.QUIET);
        Splits splits = Splits.carve(store, 1, 1, 2);
        DataFingerprint data = DataFingerprint.of(zip, null, null, 1, 2, 1);
        Recipe unbudgeted = Recipe.quickRecipe().withBatch(2).withBudgetMinutes(0), budgeted = unbudgeted.withBudgetMinutes(600);
        Path without = dir.resolve("without"), with = dir.resolve("with");
        new TrainingRun(Architectures.build(be, "matchnet", unbudgeted), unbudgeted, data, store, splits, without, ResumeAfterKillTest.QUIET).run(false);
        new TrainingRun(Architectures.build(be, "matchnet", budgeted), budgeted, data, store, splits, with, ResumeAfterKillTest.QUIET).run(false);

        BudgetPlan plan = BudgetPlan.fromJson(Files.readString(with.resolve(BudgetPlan.FILE)));
        assertEquals(List.of("classifier", "metric"), plan.phases().stream().map(PhasePlan::name).toList());
        assertTrue(plan.keepsRecipeEpochs(), plan.describe());
        assertFalse(Files.exists(without.resolve(BudgetPlan.FILE)), "no budget, no plan");
        Map<String, SafeTensors.Entry> expected = SafeTensors.read(without.resolve(ModelDirectory.WEIGHTS)).entries();
        Map<String, SafeTensors.Entry> actual = SafeTensors.read(with.resolve(ModelDirectory.WEIGHTS)).entries();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> assertArrayEquals(e.floats(), actual.get(name).floats(), name + " differs with a budget"));
    }

    /** The acceptance criterion: the quick recipe in a budget far too small is one line, exit 1, and no model. */
    @Test
    void aBudgetTooSmallForTheMetricPhaseIsAnErrorAndWritesNoModel() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path out = dir.resolve("run");
        SimilProcess.Result result = new SimilProcess(dir).run("train", "train", "matchnet", "--recipe", "quick",
                "--budget-minutes", "0.0001", "--data", zip.toString(), "--holdout", "1", "--val-per-class", "2",
                "--batch", "2", "--out", out.toString());
        assertEquals(1, result.exitCode(), result.err());
        List<String> errors = result.err().lines().filter(l -> l.startsWith("simil: error:")).toList();
        assertEquals(1, errors.size(), result.err());
        assertTrue(errors.get(0).startsWith("simil: error: time budget of 0.0001 minutes cannot hold one epoch of every phase: classifier 1 epoch"),
                errors.get(0));
        assertTrue(errors.get(0).contains(", caching ≈ ") && errors.get(0).contains(", metric 1 epoch ≈ "), errors.get(0));
        for (String file : List.of(ModelDirectory.WEIGHTS, "config.json", "checkpoint", BudgetPlan.FILE)) {
            assertFalse(Files.exists(out.resolve(file)), file + " written by a run that could not start");
        }
        assertFalse(result.out().contains("model written"), result.out());
    }

    private static int epochsDone(Path run) throws IOException {
        String state = Files.readString(run.resolve(CheckpointedEpochs.CHECKPOINT).resolve(CheckpointedEpochs.STATE));
        return JsonParser.parseString(state).getAsJsonObject().get("epochs_done").getAsInt();
    }

    /** A model without tensors (saved as an empty weights file, so that a resume can load it). */
    private static Trainable nothingToSave() {
        return new Trainable() {
            @Override public Map<String, Tensor> stateTensors() { return Map.of(); }
            @Override public void save(Path dir) throws IOException {
                Files.createDirectories(dir);
                Checkpoint.save(dir.resolve(ModelDirectory.WEIGHTS), Map.of(), Map.of());
            }
            @Override public void restoreRandomStep(long step) {}
        };
    }

    /** One step per epoch, which sleeps; validation is free. */
    private record SleepingPhase(int epochs, Backend backend) implements Phase {
        @Override public String name() { return "sleep"; }
        @Override public int stepsPerEpoch() { return 1; }
        @Override public int imagesPerStep() { return 1; }
        @Override public void beginEpoch(int epoch) {}
        @Override public void step(int epoch, int stepInEpoch, float lr, Tensor outcome) {
            try {
                Thread.sleep(STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            backend().write(outcome, new float[] {0.5f, 1f, 1f});
        }
        @Override public StepResult validate() { return new StepResult(0.5, 1, 1); }
        @Override public float lrAt(long step) { return 1e-3f; }
        @Override public Adam optimizer() { return Adam.adam(List.of(), 0f); }
        @Override public Map<String, Tensor> extraState() { return Map.of(); }
    }
}
