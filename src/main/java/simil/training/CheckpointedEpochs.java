package simil.training;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import simil.evaluation.EpochMetrics;
import simil.evaluation.MetricsCsv;
import simil.io.AtomicFiles;
import simil.io.Checkpoint;
import simil.io.RunDirectory;
import simil.io.Terminal;
import simil.tensor.Tensor;

/**
 * The epoch loop every training command shares: phases run epoch by epoch with a progress bar, and after each epoch
 * one atomic checkpoint ({@link RunCheckpoint}: model, optimizer state, every phase's metrics so far, position) is
 * committed, the only thing a resume reads besides the settings pinned at the start. The run's model and metrics
 * CSVs are copies published from it. A killed run resumed with the same settings ends with the same weights and
 * metrics as an uninterrupted one. A time budget is planned before the first epoch ({@link #plan}), never enforced
 * between epochs: every phase runs all of its planned epochs.
 */
final class CheckpointedEpochs {
    static final String CHECKPOINT = RunCheckpoint.DIR, STATE = RunCheckpoint.STATE, OPTIMIZER = "optimizer.safetensors";
    private static final String FIRST_METRICS = "metrics.csv";
    /** The checkpoint's record of how long {@value StepLog#FILE} was when it committed. */
    private static final String STEPS_BYTES = "steps_log_bytes";

    private final Trainable model;
    private final Path out;
    private final PrintStream log;
    private final Consumer<String> afterStep;
    private final RunCheckpoint checkpoint;
    /** Every phase's metrics rows so far, by file name, as the checkpoint holds them. */
    private final Map<String, List<EpochMetrics>> metrics = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private double secondsBefore;
    private boolean resumed;
    private BudgetPlan plan;
    private StepLog steps;

    /** Where a run stands: the phase, the epochs it has finished, and the wall time spent so far. */
    record Position(int phase, int epochsDone, double seconds) {}

    CheckpointedEpochs(Trainable model, Path out, PrintStream log) {
        this(model, out, log, step -> {});
    }

    /** {@code afterStep} hears each step of saving a checkpoint as it completes (where a test simulates a crash). */
    CheckpointedEpochs(Trainable model, Path out, PrintStream log, Consumer<String> afterStep) {
        this.model = model;
        this.out = out;
        this.log = log;
        this.afterStep = afterStep;
        this.checkpoint = new RunCheckpoint(out, afterStep);
    }

    /**
     * Refuses, reading only, a start in {@code out} that would lose or mix work: a folder that is not a {@code kind}
     * of its own (see RunDirectory), a run there without {@code resume}, or a resume whose {@code pinned} settings
     * differ from the run's (the error names what differs).
     */
    static void checkCanStart(Path out, RunDirectory.Kind kind, boolean resume, List<PinnedSettings> pinned) throws IOException {
        RunDirectory.checkOwnable(out, kind);
        checkResumable(out, resume, pinned);
    }

    private static void checkResumable(Path out, boolean resume, List<PinnedSettings> pinned) throws IOException {
        if (!RunCheckpoint.existsIn(out)) return;
        if (!resume) throw new IllegalArgumentException(out + " already holds a training run: pass --resume, or choose another --out");
        for (PinnedSettings p : pinned) {
            Path file = out.resolve(p.file());
            // A run made before the file was kept (data.json) has nothing to compare.
            if (!Files.exists(file)) continue;
            String mismatch = p.mismatch().apply(Files.readString(file));
            if (mismatch != null) throw new IllegalArgumentException("--resume with " + p.what() + " than the run's (" + file + "): " + mismatch);
        }
    }

    /**
     * Starts or resumes a run in {@code out}, which the caller has claimed: settles what a crash left of the last
     * checkpoint and removes stale files, checks as {@link #checkCanStart} does, then with {@code resume} and a
     * checkpoint loads it and republishes its model and metrics; else writes the {@code pinned} settings files.
     * Returns where to start.
     */
    Position begin(boolean resume, List<PinnedSettings> pinned) throws IOException {
        Files.createDirectories(out);
        checkpoint.recover();
        checkResumable(out, resume, pinned);
        Position at = new Position(0, 0, 0);
        if (checkpoint.exists()) {
            JsonObject state = readState();
            at = position(state);
            model.load(checkpoint.dir());
            readMetrics();
            secondsBefore = at.seconds();
            resumed = true;
            publish();
            steps = StepLog.resumeAt(out, state.has(STEPS_BYTES) ? state.get(STEPS_BYTES).getAsLong() : null);
            log.printf("resuming %s at phase %d, epoch %d%n", out, at.phase() + 1, at.epochsDone() + 1);
        } else {
            for (PinnedSettings p : pinned) AtomicFiles.writeString(out.resolve(p.file()), p.json());
            steps = StepLog.start(out);
        }
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
        Path file = out.resolve(BudgetPlan.FILE);
        if (budgetMinutes == 0) {
            // A plan left by an earlier start of this folder that never finished an epoch is not this run's.
            if (!resumed) Files.deleteIfExists(file);
            return null;
        }
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

    /** Runs {@code phase} (number {@code index} of the run) from {@code firstEpoch}. */
    void runPhase(int index, Phase phase, int firstEpoch) throws IOException {
        if (firstEpoch > 0) restoreOptimizer(phase);
        String metricsFile = index == 0 ? FIRST_METRICS : "metrics-" + phase.name() + ".csv";
        // A checkpoint holds exactly the finished epochs' rows; the CSV of a run made before it did may hold more or fewer.
        List<EpochMetrics> before = metrics.getOrDefault(metricsFile, List.of());
        List<EpochMetrics> rows = new ArrayList<>(before.subList(0, Math.min(firstEpoch, before.size())));
        metrics.put(metricsFile, rows);
        int stepsPerEpoch = phase.stepsPerEpoch();
        for (int epoch = firstEpoch; epoch < phase.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            double runSecondsAtStart = secondsSpent();
            phase.beginEpoch(epoch);
            TrainingProgress progress;
            int epochNumber = epoch + 1;
            long firstStep = (long) epoch * stepsPerEpoch;
            TrainingProgress.Listener logStep = (s, loss, correct, count, seconds, imagesPerSecond) -> steps.write(phase.name(),
                    epochNumber, s, firstStep + s, loss, count == 0 ? Double.NaN : (double) correct / count,
                    phase.lrAt(firstStep + s + 1), imagesPerSecond, runSecondsAtStart + seconds);
            try (StepOutcomes outcomes = new StepOutcomes(phase.backend(), stepsPerEpoch)) {
                progress = new TrainingProgress(log, String.format(Locale.ROOT, "%s %d/%d", phase.name(), epoch + 1,
                        phase.epochs()), outcomes, Terminal.redraws(log), logStep);
                for (int s = 0; s < stepsPerEpoch; s++) {
                    long globalStep = firstStep + s;
                    model.restoreRandomStep(globalStep);
                    phase.step(epoch, s, phase.lrAt(globalStep + 1), outcomes.row(s));
                    int diverged = progress.update(s, phase.imagesPerStep());
                    if (diverged >= 0) {
                        progress.finish();
                        steps.flush();
                        throw new TrainingDivergedException(String.format(Locale.ROOT, "loss became %s in %s epoch %d step %d; %s",
                                outcomes.loss(diverged), phase.name(), epoch + 1, diverged + 1, checkpoint.exists()
                                        ? "the last good checkpoint is " + checkpoint.dir()
                                        : "no epoch had finished, so there is no checkpoint to resume from"));
                    }
                }
            }
            progress.finish();
            Phase.StepResult val = phase.validate();
            // The rate the epoch's last step used, as the float's shortest decimal (0.002, not 0.0020000000949949026).
            double lastLr = Double.parseDouble(Float.toString(phase.lrAt(firstStep + stepsPerEpoch)));
            EpochMetrics row = new EpochMetrics(epoch + 1, lastLr, progress.meanLoss(), progress.accuracy(),
                    val.loss(), val.accuracy(), (System.nanoTime() - epochStart) / 1e9, phase.name());
            rows.add(row);
            log.printf(Locale.ROOT, "%s epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | %.0f img/s, %.0f s%n",
                    phase.name(), epoch + 1, row.trainLoss(), row.trainAcc(), row.valLoss(), row.valAcc(),
                    progress.imagesPerSecond(), row.seconds());
            saveCheckpoint(new Position(index, epoch + 1, secondsSpent()), phase);
        }
    }

    /** Writes the final model into the output directory and, with a plan, how the run's time compared with it. */
    void finish() throws IOException {
        steps.close();
        model.save(out);
        if (plan != null) log.println(plan.outcome(secondsSpent()));
    }

    private double secondsSpent() {
        return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** Commits a checkpoint of the model, the phase's optimizer, the metrics and {@code position}; then publishes it. */
    private void saveCheckpoint(Position position, Phase phase) throws IOException {
        JsonObject state = new JsonObject();
        state.addProperty("phase", position.phase());
        state.addProperty("phase_name", phase.name());
        state.addProperty("epochs_done", position.epochsDone());
        state.addProperty("seconds", position.seconds());
        state.addProperty(STEPS_BYTES, steps.length());
        checkpoint.save(dir -> {
            model.save(dir);
            afterStep.accept("checkpoint.tmp: model");
            Map<String, Tensor> optimizerState = new LinkedHashMap<>(phase.optimizer().state());
            optimizerState.putAll(phase.extraState());
            Checkpoint.save(dir.resolve(OPTIMIZER), optimizerState, Map.of("steps", Integer.toString(phase.optimizer().steps())));
            afterStep.accept("checkpoint.tmp: optimizer");
            for (Map.Entry<String, List<EpochMetrics>> file : metrics.entrySet()) MetricsCsv.write(dir.resolve(file.getKey()), file.getValue());
            afterStep.accept("checkpoint.tmp: metrics");
        }, state.toString());
        publish();
    }

    /**
     * Rewrites the run's model and metrics CSVs from the committed checkpoint (the model in memory is its weights).
     * They are outputs only: a resume reads the checkpoint, so a crash before they are written loses nothing.
     */
    private void publish() throws IOException {
        model.save(out);
        afterStep.accept("model published");
        for (Map.Entry<String, List<EpochMetrics>> file : metrics.entrySet()) MetricsCsv.write(out.resolve(file.getKey()), file.getValue());
        afterStep.accept("metrics published");
    }

    /** The metrics in the checkpoint; a checkpoint made before it held them: the run's CSVs. */
    private void readMetrics() throws IOException {
        Path source = listMetrics(checkpoint.dir()).isEmpty() ? out : checkpoint.dir();
        for (Path file : listMetrics(source)) metrics.put(file.getFileName().toString(), MetricsCsv.read(file));
    }

    private static List<Path> listMetrics(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("metrics(-.+)?\\.csv")).sorted().toList();
        }
    }

    private JsonObject readState() throws IOException {
        return JsonParser.parseString(Files.readString(checkpoint.dir().resolve(STATE))).getAsJsonObject();
    }

    private static Position position(JsonObject s) {
        return new Position(s.get("phase").getAsInt(), s.get("epochs_done").getAsInt(), s.get("seconds").getAsDouble());
    }

    private void restoreOptimizer(Phase phase) {
        Map<String, Tensor> state = new LinkedHashMap<>(phase.optimizer().state());
        state.putAll(phase.extraState());
        Map<String, String> meta = Checkpoint.load(checkpoint.dir().resolve(OPTIMIZER), state);
        phase.optimizer().setSteps(Integer.parseInt(meta.get("steps")));
    }
}
