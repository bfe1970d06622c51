package simil.training;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import simil.evaluation.EpochMetrics;
import simil.evaluation.MetricsCsv;
import simil.io.AtomicFiles;
import simil.io.Checkpoint;
import simil.io.ModelDirectory;
import simil.tensor.Tensor;

/**
 * The epoch loop every training command shares: phases run epoch by epoch with a progress bar, one metrics
 * CSV row and one atomic checkpoint ({@code checkpoint/}: model, optimizer state, position) after each epoch,
 * and resume from the last checkpoint. A killed run resumed with the same settings ends with the same weights
 * as an uninterrupted one. A time budget is planned before the first epoch ({@link #plan}), never enforced
 * between epochs: every phase runs all of its planned epochs.
 */
final class CheckpointedEpochs {
    static final String CHECKPOINT = "checkpoint", STATE = "state.json", OPTIMIZER = "optimizer.safetensors";

    private final Trainable model;
    private final Path out;
    private final PrintStream log;
    private final long startNanos = System.nanoTime();
    private double secondsBefore;
    private boolean resumed;
    private BudgetPlan plan;

    /** Where a run stands: the phase, the epochs it has finished, and the wall time spent so far. */
    record Position(int phase, int epochsDone, double seconds) {}

    CheckpointedEpochs(Trainable model, Path out, PrintStream log) {
        this.model = model;
        this.out = out;
        this.log = log;
    }

    /**
     * Starts or resumes a run in {@code out}: with {@code resume} and a checkpoint, checks the saved settings
     * file against {@code sameSettings} and loads the checkpointed weights; without, refuses a directory that
     * already holds a run. Writes {@code settingsJson} as {@code settingsFile} and returns where to start.
     */
    Position begin(boolean resume, String settingsFile, String settingsJson, Predicate<String> sameSettings) throws IOException {
        Files.createDirectories(out);
        Position at = new Position(0, 0, 0);
        if (resume && Files.exists(out.resolve(CHECKPOINT).resolve(STATE))) {
            at = readPosition();
            if (!sameSettings.test(Files.readString(out.resolve(settingsFile)))) {
                throw new IllegalArgumentException("--resume with a different " + settingsFile.replace(".json", "") + " than " + out.resolve(settingsFile));
            }
            Checkpoint.load(out.resolve(CHECKPOINT).resolve(ModelDirectory.WEIGHTS), model.stateTensors());
            secondsBefore = at.seconds();
            resumed = true;
            log.printf("resuming %s at phase %d, epoch %d%n", out, at.phase() + 1, at.epochsDone() + 1);
        } else if (Files.exists(out.resolve(CHECKPOINT))) {
            throw new IllegalArgumentException(out + " already holds a training run: pass --resume, or choose another --out");
        }
        AtomicFiles.writeString(out.resolve(settingsFile), settingsJson);
        return at;
    }

    /**
     * The plan a time budget of {@code budgetMinutes} makes for this run, printed; null for 0 (no budget: every
     * phase runs its recipe's epochs). Resuming from a checkpoint it is the run's {@value BudgetPlan#FILE}, so the
     * phases are rebuilt as they were. Else {@code measure} probes the phases on the model, whose state is then
     * restored (so the probe changes no result), and the plan is fitted and written before any epoch; a budget
     * that cannot hold one epoch of every phase is an IllegalArgumentException, before any model is written.
     */
    BudgetPlan plan(float budgetMinutes, Supplier<List<PhasePlan>> measure) throws IOException {
        if (budgetMinutes < 0) throw new IllegalArgumentException("a time budget is 0 (none) or more minutes, not " + budgetMinutes);
        if (budgetMinutes == 0) return null;
        Path file = out.resolve(BudgetPlan.FILE);
        if (resumed) {
            // A checkpoint without a plan comes from a run made before plans were kept, on the recipe's epochs.
            if (!Files.exists(file)) return null;
            plan = BudgetPlan.fromJson(Files.readString(file));
            log.println("following the plan in " + file);
        } else {
            long start = System.nanoTime();
            StateSnapshot before = new StateSnapshot(model.stateTensors());
            List<PhasePlan> measured = measure.get();
            before.restore();
            plan = BudgetPlan.fit(budgetMinutes, (System.nanoTime() - start) / 1e9, measured);
            AtomicFiles.writeString(file, plan.toJson());
        }
        log.println(plan.describe());
        return plan;
    }

    /** Runs {@code phase} (number {@code index} of the run) from {@code firstEpoch}; {@code lr} labels the metrics rows. */
    void runPhase(int index, Phase phase, int firstEpoch, double lr) throws IOException {
        if (firstEpoch > 0) restoreOptimizer(phase);
        Path metricsFile = out.resolve(index == 0 ? "metrics.csv" : "metrics-" + phase.name() + ".csv");
        List<EpochMetrics> rows = firstEpoch > 0 && Files.exists(metricsFile)
                ? new ArrayList<>(MetricsCsv.read(metricsFile).subList(0, firstEpoch)) : new ArrayList<>();
        int steps = phase.stepsPerEpoch();
        for (int epoch = firstEpoch; epoch < phase.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            phase.beginEpoch(epoch);
            TrainingProgress progress;
            try (StepOutcomes outcomes = new StepOutcomes(phase.backend(), steps)) {
                progress = new TrainingProgress(log, String.format(Locale.ROOT, "%s %d/%d", phase.name(), epoch + 1,
                        phase.epochs()), outcomes);
                for (int s = 0; s < steps; s++) {
                    long globalStep = (long) epoch * steps + s;
                    model.restoreRandomStep(globalStep);
                    int count = phase.step(epoch, s, phase.lrAt(globalStep + 1), outcomes.row(s));
                    int diverged = progress.update(s, count, phase.imagesPerStep());
                    if (diverged >= 0) {
                        progress.finish();
                        throw new TrainingDivergedException(String.format(Locale.ROOT,
                                "loss became %s in %s epoch %d step %d; the last good checkpoint is %s", outcomes.loss(diverged),
                                phase.name(), epoch + 1, diverged + 1, out.resolve(CHECKPOINT)));
                    }
                }
            }
            progress.finish();
            Phase.StepResult val = phase.validate();
            EpochMetrics row = new EpochMetrics(epoch + 1, lr, progress.meanLoss(), progress.accuracy(),
                    val.loss(), val.accuracy(), (System.nanoTime() - epochStart) / 1e9);
            rows.add(row);
            log.printf(Locale.ROOT, "%s epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | %.0f img/s, %.0f s%n",
                    phase.name(), epoch + 1, row.trainLoss(), row.trainAcc(), row.valLoss(), row.valAcc(),
                    progress.imagesPerSecond(), row.seconds());
            saveCheckpoint(new Position(index, epoch + 1, secondsSpent()), phase);
            MetricsCsv.write(metricsFile, rows);
        }
    }

    /** Writes the final model into the output directory and, with a plan, how the run's time compared with it. */
    void finish() throws IOException {
        model.save(out);
        if (plan != null) log.println(plan.outcome(secondsSpent()));
    }

    private double secondsSpent() {
        return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** Writes checkpoint.tmp completely, then swaps it in: a kill at any point leaves one whole checkpoint. */
    private void saveCheckpoint(Position position, Phase phase) throws IOException {
        Path dir = out.resolve(CHECKPOINT), tmp = out.resolve(CHECKPOINT + ".tmp"), old = out.resolve(CHECKPOINT + ".old");
        deleteTree(tmp);
        model.save(tmp);
        Map<String, Tensor> optimizerState = new LinkedHashMap<>(phase.optimizer().state());
        optimizerState.putAll(phase.extraState());
        Checkpoint.save(tmp.resolve(OPTIMIZER), optimizerState, Map.of("steps", Integer.toString(phase.optimizer().steps())));
        JsonObject state = new JsonObject();
        state.addProperty("phase", position.phase());
        state.addProperty("phase_name", phase.name());
        state.addProperty("epochs_done", position.epochsDone());
        state.addProperty("seconds", position.seconds());
        AtomicFiles.writeString(tmp.resolve(STATE), state.toString());
        deleteTree(old);
        if (Files.exists(dir)) Files.move(dir, old);
        Files.move(tmp, dir);
        deleteTree(old);
        model.save(out);
    }

    private Position readPosition() throws IOException {
        Path dir = out.resolve(CHECKPOINT);
        JsonObject s = JsonParser.parseString(Files.readString(dir.resolve(STATE))).getAsJsonObject();
        return new Position(s.get("phase").getAsInt(), s.get("epochs_done").getAsInt(), s.get("seconds").getAsDouble());
    }

    private void restoreOptimizer(Phase phase) {
        Map<String, Tensor> state = new LinkedHashMap<>(phase.optimizer().state());
        state.putAll(phase.extraState());
        Map<String, String> meta = Checkpoint.load(out.resolve(CHECKPOINT).resolve(OPTIMIZER), state);
        phase.optimizer().setSteps(Integer.parseInt(meta.get("steps")));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
