package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.evaluation.MetricsCsv;
import simil.io.AtomicFiles;
import simil.io.Checkpoint;
import simil.io.ModelDirectory;
import simil.io.RunDirectory;
import simil.layers.Parameter;
import simil.optim.Adam;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A crash after any step of any checkpoint save, then {@code --resume}: the run resumes from the newest committed
 * epoch (never from the first while a checkpoint exists), removes what the crash left, and ends with the model,
 * optimizer state and metrics of an uninterrupted run. The crash is simulated by an exception thrown from the save
 * sequence's step hook (nothing in that sequence catches it, so it leaves the files as a kill there would); a kill
 * inside an atomic file write leaves a temporary file, planted here before each resume.
 */
class CrashDuringCheckpointTest {
    /** Epochs of the two phases: saves without and with a previous checkpoint, and a save in a new phase. */
    private static final int FIRST_EPOCHS = 2, SECOND_EPOCHS = 1;
    /** The commit point: once checkpoint.tmp is complete, the epoch counts, whatever renames are still to come. */
    private static final String COMMIT = "checkpoint.tmp complete";
    private static final PinnedSettings SETTINGS = new PinnedSettings("settings.json", "different settings", "{}", saved -> null);

    @TempDir
    Path dir;

    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String step) {
            super("simulated crash after: " + step);
        }
    }

    @Test
    void aCrashAfterAnyStepOfAnySaveResumesToTheUninterruptedResult() throws IOException {
        Path reference = dir.resolve("uninterrupted");
        List<String> steps = new ArrayList<>();
        train(reference, false, steps::add);
        Map<String, String> expected = outcome(reference);
        long saves = steps.stream().filter(COMMIT::equals).count();
        assertEquals(FIRST_EPOCHS + SECOND_EPOCHS, saves);
        assertTrue(steps.contains("checkpoint moved to checkpoint.old") && steps.contains("metrics published"), steps.toString());

        boolean sawOldBesideTmp = false;
        for (int k = 0; k < steps.size(); k++) {
            Path run = dir.resolve("crash-" + k);
            String step = steps.get(k);
            int crashAt = k;
            int[] seen = {0}, committed = {0};
            assertThrows(SimulatedCrash.class, () -> train(run, false, s -> {
                if (s.equals(COMMIT)) committed[0]++;
                if (seen[0]++ == crashAt) throw new SimulatedCrash(s);
            }));
            if (step.equals("checkpoint moved to checkpoint.old")) {
                // The probe's case: no checkpoint/, an intact checkpoint.old and a complete checkpoint.tmp.
                assertFalse(Files.exists(run.resolve("checkpoint")));
                assertTrue(Files.exists(run.resolve("checkpoint.old")) && Files.exists(run.resolve("checkpoint.tmp")));
                sawOldBesideTmp = true;
            }
            Files.writeString(run.resolve(".model.safetensors4711.tmp"), "what a kill inside an atomic write leaves");

            CheckpointedEpochs.Position at = train(run, true, s -> {});
            assertEquals(committed[0], at.phase() * FIRST_EPOCHS + at.epochsDone(),
                    "after a crash following '" + step + "' (step " + k + "), the resume starts after every committed epoch");
            assertEquals(expected, outcome(run), "after a crash following '" + step + "' (step " + k + ")");
            for (String leftover : List.of("checkpoint.tmp", "checkpoint.old", ".model.safetensors4711.tmp")) {
                assertFalse(Files.exists(run.resolve(leftover)), leftover + " left after a crash following '" + step + "'");
            }
        }
        assertTrue(sawOldBesideTmp);
    }

    /** A state no save leaves, handled all the same: an incomplete checkpoint.tmp beside checkpoint.old. */
    @Test
    void anIncompleteTmpBesideTheOldCheckpointFallsBackToTheOld() throws IOException {
        Path run = dir.resolve("run");
        train(run, false, s -> {});
        Map<String, String> expected = outcome(run);
        Files.move(run.resolve("checkpoint"), run.resolve("checkpoint.old"));
        Files.createDirectories(run.resolve("checkpoint.tmp"));
        Files.writeString(run.resolve("checkpoint.tmp").resolve(ModelDirectory.WEIGHTS), "half a model");

        CheckpointedEpochs.Position at = train(run, true, s -> {});
        assertEquals(new CheckpointedEpochs.Position(1, SECOND_EPOCHS, at.seconds()), at);
        assertEquals(expected, outcome(run));
    }

    /** A checkpoint made before checkpoints held the metrics: a resume continues the run's CSVs. */
    @Test
    void aCheckpointWithoutMetricsContinuesTheRunsCsvs() throws IOException {
        Path reference = dir.resolve("uninterrupted");
        train(reference, false, s -> {});
        Path run = dir.resolve("run");
        assertThrows(SimulatedCrash.class, () -> train(run, false, s -> {
            if (s.equals("metrics published")) throw new SimulatedCrash(s);
        }));
        Files.delete(run.resolve("checkpoint").resolve("metrics.csv"));
        train(run, true, s -> {});
        assertEquals(metrics(reference), metrics(run));
    }

    /** A fresh start in a folder whose checkpoint only a crashed swap holds is refused like any run's: nothing is deleted. */
    @Test
    void aFreshStartNeverDeletesTheCheckpointACrashedSwapLeft() throws IOException {
        Path run = dir.resolve("run");
        int[] commits = {0};
        assertThrows(SimulatedCrash.class, () -> train(run, false, s -> {
            if (s.equals("checkpoint moved to checkpoint.old")) throw new SimulatedCrash(s);
        }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(run, false, s -> commits[0]++));
        assertTrue(e.getMessage().endsWith("already holds a training run: pass --resume, or choose another --out"), e.getMessage());
        assertEquals(0, commits[0], "the refused start trained nothing");
        CheckpointedEpochs.Position at = train(run, true, s -> {});
        assertEquals(0, at.phase());
        assertEquals(2, at.epochsDone(), "the complete checkpoint.tmp of epoch 2 was kept");
    }

    /**
     * Runs the two tiny phases in {@code run} (claimed, as TrainingRun does) from where it stands, and returns that
     * position; {@code afterStep} hears every step of every checkpoint save.
     */
    private static CheckpointedEpochs.Position train(Path run, boolean resume, Consumer<String> afterStep) throws IOException {
        TinyModel model = new TinyModel();
        try (RunDirectory claimed = RunDirectory.claim(run, TrainingRun.KIND)) {
            CheckpointedEpochs epochs = new CheckpointedEpochs(model, claimed.path(), ResumeAfterKillTest.QUIET, afterStep);
            CheckpointedEpochs.Position at = epochs.begin(resume, List.of(SETTINGS));
            List<Phase> phases = List.of(new TinyPhase("first", FIRST_EPOCHS, model), new TinyPhase("second", SECOND_EPOCHS, model));
            for (int p = at.phase(); p < phases.size(); p++) {
                epochs.runPhase(p, phases.get(p), p == at.phase() ? at.epochsDone() : 0);
            }
            epochs.finish();
            return at;
        }
    }

    /** What must not depend on a crash: the model, the checkpoint's optimizer and weights, and every metrics file without its wall times. */
    private static Map<String, String> outcome(Path run) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path file : List.of(run.resolve(ModelDirectory.WEIGHTS), run.resolve("checkpoint").resolve(ModelDirectory.WEIGHTS),
                run.resolve("checkpoint").resolve(CheckpointedEpochs.OPTIMIZER))) {
            files.put(run.relativize(file).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
        files.putAll(metrics(run));
        metrics(run.resolve("checkpoint")).forEach((name, rows) -> files.put("checkpoint/" + name, rows));
        assertEquals(7, files.size(), files.keySet().toString());
        return files;
    }

    /** The metrics CSVs in {@code folder}, each as its rows without their wall times. */
    private static Map<String, String> metrics(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path csv : list.filter(f -> f.toString().endsWith(".csv")).toList()) {
                files.put(csv.getFileName().toString(), ResumeAfterKillTest.withoutSeconds(MetricsCsv.read(csv)).toString());
            }
        }
        return files;
    }

    /** A model of one weight vector. */
    private static final class TinyModel implements Trainable {
        final Parameter weights = new Parameter(Backends.open("cpu"), "weights", true, 8);

        @Override public Map<String, Tensor> stateTensors() { return Map.of("weights", weights.value()); }

        @Override public void save(Path dir) throws IOException {
            Files.createDirectories(dir);
            Checkpoint.save(dir.resolve(ModelDirectory.WEIGHTS), stateTensors(), Map.of());
            AtomicFiles.writeString(dir.resolve(ModelDirectory.CONFIG), "{}");
        }

        @Override public void restoreRandomStep(long step) {}
    }

    /**
     * Adam on the model's weights and a head of its own toward targets that depend on the epoch and step, so that
     * resuming at the wrong step, or with the wrong optimizer state or head, ends with other numbers.
     */
    private static final class TinyPhase implements Phase {
        private final String name;
        private final int epochs;
        private final TinyModel model;
        private final Parameter head;
        private final Adam adam;

        TinyPhase(String name, int epochs, TinyModel model) {
            this.name = name;
            this.epochs = epochs;
            this.model = model;
            this.head = new Parameter(Backends.open("cpu"), name + ".head", false, 4);
            this.adam = Adam.adam(List.of(model.weights, head), 0f);
        }

        @Override public String name() { return name; }
        @Override public int epochs() { return epochs; }
        @Override public int stepsPerEpoch() { return 3; }
        @Override public int imagesPerStep() { return 1; }
        @Override public void beginEpoch(int epoch) {}

        @Override public Backend backend() { return Backends.open("cpu"); }

        @Override
        public void step(int epoch, int stepInEpoch, float lr, Tensor outcome) {
            Backend backend = backend();
            float[] w = backend.toArray(model.weights.value()), h = backend.toArray(head.value());
            float[] gw = new float[w.length], gh = new float[h.length];
            double loss = 0;
            for (int i = 0; i < w.length; i++) {
                float residual = w[i] + h[i % h.length] - (float) Math.sin(7 * epoch + 3 * stepInEpoch + i + name.length());
                loss += residual * residual;
                gw[i] = residual;
                gh[i % h.length] += residual;
            }
            backend.write(model.weights.grad(), gw);
            backend.write(head.grad(), gh);
            adam.step(lr);
            backend.write(outcome, new float[] {(float) (loss / w.length), 1f, 1f});
        }

        @Override
        public StepResult validate() {
            double sum = 0;
            for (float v : Backends.open("cpu").toArray(model.weights.value())) sum += v * v;
            return new StepResult(sum, 1, 1);
        }

        @Override public float lrAt(long step) { return 0.05f / (1 + step); }
        @Override public Adam optimizer() { return adam; }
        @Override public Map<String, Tensor> extraState() { return Map.of(head.name(), head.value()); }
    }
}
