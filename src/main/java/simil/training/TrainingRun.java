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
import java.util.stream.Stream;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.data.RandomCropFlip;
import simil.data.Splits;
import simil.evaluation.EpochMetrics;
import simil.evaluation.MetricsCsv;
import simil.io.AtomicFiles;
import simil.io.Checkpoint;
import simil.layers.Linear;
import simil.layers.Parameter;
import simil.models.ModelFiles;
import simil.models.PairModel;
import simil.optim.Adam;
import simil.optim.ConstantLr;
import simil.optim.LrSchedule;
import simil.optim.WarmupCosine;
import simil.scoring.Embeddings;
import simil.tensor.Tensor;

/**
 * Runs a recipe's phases in order with a checkpoint after every epoch. The output directory holds the
 * latest model ({@code config.json}, {@code model.safetensors}), {@code recipe.json}, one metrics CSV per
 * phase and {@code checkpoint/} (model, optimizer state, position). A killed run resumed with the same
 * recipe continues from its last epoch and ends with the same weights as an uninterrupted one.
 */
public final class TrainingRun {
    private static final String CHECKPOINT = "checkpoint", STATE = "state.json", OPTIMIZER = "optimizer.safetensors";

    private final PairModel model;
    private final Recipe recipe;
    private final ImageStore store;
    private final Splits splits;
    private final Path out;
    private final PrintStream log;
    private final ImageBatcher trainImages, evalImages;
    private final long startNanos = System.nanoTime();
    private double secondsBefore;

    public TrainingRun(PairModel model, Recipe recipe, ImageStore store, Splits splits, Path out, PrintStream log) {
        this.model = model;
        this.recipe = recipe;
        this.store = store;
        this.splits = splits;
        this.out = out;
        this.log = log;
        Normalization norm = recipe.normalize() ? Normalization.measure(store, splits.train().indices()) : Normalization.NONE;
        this.trainImages = new ImageBatcher(model.backend(), store, norm,
                recipe.augment() ? new RandomCropFlip(4, recipe.seed()) : null);
        this.evalImages = new ImageBatcher(model.backend(), store, norm, null);
    }

    /** Where a run stands: the phase, the epochs it has finished, and the wall time spent so far. */
    private record Position(int phase, int epochsDone, double seconds) {}

    /** Trains (or resumes when {@code resume} and a checkpoint exists) and returns the output directory. */
    public Path run(boolean resume) throws IOException {
        Files.createDirectories(out);
        Position at = new Position(0, 0, 0);
        if (resume && Files.exists(out.resolve(CHECKPOINT).resolve(STATE))) {
            at = readPosition();
            Recipe saved = Recipe.fromJson(Files.readString(out.resolve("recipe.json")));
            if (!saved.equals(recipe)) {
                throw new IllegalArgumentException("--resume with a different recipe than " + out.resolve("recipe.json"));
            }
            Checkpoint.load(out.resolve(CHECKPOINT).resolve(ModelFiles.WEIGHTS), model.stateTensors());
            secondsBefore = at.seconds();
            log.printf("resuming %s at phase %d, epoch %d%n", out, at.phase() + 1, at.epochsDone() + 1);
        } else if (Files.exists(out.resolve(CHECKPOINT))) {
            throw new IllegalArgumentException(out + " already holds a training run: pass --resume, or choose another --out");
        }
        AtomicFiles.writeString(out.resolve("recipe.json"), recipe.toJson());
        ModelFiles.writeNormalization(out, trainImages.normalization());
        List<String> phases = phaseNames();
        for (int p = at.phase(); p < phases.size(); p++) {
            Phase phase = buildPhase(phases.get(p));
            int firstEpoch = p == at.phase() ? at.epochsDone() : 0;
            if (firstEpoch > 0) restoreOptimizer(phase);
            runPhase(p, phase, firstEpoch);
        }
        ModelFiles.save(model, out);
        return out;
    }

    private List<String> phaseNames() {
        List<String> names = new ArrayList<>();
        if (recipe.classifierEpochs() > 0) names.add("classifier");
        if (recipe.pairEpochs() > 0) names.add("pairs");
        if (recipe.metricEpochs() > 0) names.add("metric");
        return names;
    }

    private Phase buildPhase(String name) {
        return switch (name) {
            case "classifier" -> {
                Linear head = ClassifierPhase.head(model, store.classCount(), recipe.seed() + 500);
                List<Parameter> params = new ArrayList<>(model.embeddingParameters());
                params.addAll(head.parameters());
                int steps = recipe.classifierEpochs() * (splits.train().size() / recipe.batch());
                yield new ClassifierPhase(model, trainImages, evalImages, splits.train(), splits.validation(), recipe,
                        head, optimizer(params, recipe.lr()), schedule(recipe.lr(), steps));
            }
            case "pairs" -> {
                int steps = recipe.pairEpochs() * Math.max(1, Math.round(splits.train().size() * recipe.pairsPerImage()) / recipe.batch());
                yield new PairPhase(model, trainImages, evalImages, splits.train(), splits.validation(), recipe,
                        optimizer(model.parameters(), recipe.lr()), schedule(recipe.lr(), steps));
            }
            case "metric" -> {
                log.printf("caching embeddings of %d training and %d validation images%n", splits.train().size(),
                        splits.validation().size());
                Tensor train = Embeddings.compute(model, evalImages, splits.train().indices(), 256);
                Tensor validation = Embeddings.compute(model, evalImages, splits.validation().indices(), 256);
                int pairsPerEpoch = Math.max(256, splits.train().size() * 4);
                int steps = recipe.metricEpochs() * (pairsPerEpoch / 256);
                yield new MetricPhase(model.metric(), train, validation, splits.train(), splits.validation(),
                        store.size(), recipe, pairsPerEpoch, optimizer(model.metric().parameters(), recipe.metricLr()),
                        schedule(recipe.metricLr(), steps));
            }
            default -> throw new IllegalStateException(name);
        };
    }

    private Adam optimizer(List<Parameter> params, float lr) {
        return switch (recipe.optimizer()) {
            case "adam" -> Adam.adam(params, recipe.weightDecay());
            case "adamw" -> Adam.adamW(params, recipe.weightDecay());
            default -> throw new IllegalArgumentException("unknown optimizer " + recipe.optimizer());
        };
    }

    private LrSchedule schedule(float lr, int totalSteps) {
        return switch (recipe.schedule()) {
            case "constant" -> new ConstantLr(lr);
            case "cosine" -> new WarmupCosine(lr, Math.min(recipe.warmupSteps(), totalSteps), totalSteps, lr * 0.01f);
            default -> throw new IllegalArgumentException("unknown schedule " + recipe.schedule());
        };
    }

    private void runPhase(int index, Phase phase, int firstEpoch) throws IOException {
        Path metricsFile = out.resolve(index == 0 ? "metrics.csv" : "metrics-" + phase.name() + ".csv");
        List<EpochMetrics> rows = firstEpoch > 0 && Files.exists(metricsFile)
                ? new ArrayList<>(MetricsCsv.read(metricsFile).subList(0, firstEpoch)) : new ArrayList<>();
        int steps = phase.stepsPerEpoch();
        for (int epoch = firstEpoch; epoch < phase.epochs(); epoch++) {
            if (budgetSpent()) {
                log.printf("time budget of %.0f minutes spent: %s phase stops after %d of %d epochs%n",
                        recipe.budgetMinutes(), phase.name(), epoch, phase.epochs());
                break;
            }
            long epochStart = System.nanoTime();
            phase.beginEpoch(epoch);
            TrainingProgress progress = new TrainingProgress(log, String.format(Locale.ROOT, "%s %d/%d", phase.name(),
                    epoch + 1, phase.epochs()), steps);
            for (int s = 0; s < steps; s++) {
                long globalStep = (long) epoch * steps + s;
                model.restoreDropoutStep(globalStep);
                Phase.StepResult r = phase.step(epoch, s, phase.lrAt(globalStep + 1));
                if (!Double.isFinite(r.loss())) {
                    progress.finish();
                    throw new TrainingDivergedException(String.format(Locale.ROOT,
                            "loss became %s in %s epoch %d step %d; the last good checkpoint is %s", r.loss(), phase.name(),
                            epoch + 1, s + 1, out.resolve(CHECKPOINT)));
                }
                progress.update(s + 1, r.loss(), r.correct(), r.count(), phase.imagesPerStep());
            }
            progress.finish();
            Phase.StepResult val = phase.validate();
            EpochMetrics row = new EpochMetrics(epoch + 1, recipe.lr(), progress.meanLoss(), progress.accuracy(),
                    val.loss(), val.accuracy(), (System.nanoTime() - epochStart) / 1e9);
            rows.add(row);
            log.printf(Locale.ROOT, "%s epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | %.0f img/s, %.0f s%n",
                    phase.name(), epoch + 1, row.trainLoss(), row.trainAcc(), row.valLoss(), row.valAcc(),
                    progress.imagesPerSecond(), row.seconds());
            saveCheckpoint(new Position(index, epoch + 1, secondsSpent()), phase);
            MetricsCsv.write(metricsFile, rows);
        }
    }

    private boolean budgetSpent() {
        return recipe.budgetMinutes() > 0 && secondsSpent() > recipe.budgetMinutes() * 60;
    }

    private double secondsSpent() {
        return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
    }

    /** Writes checkpoint.tmp completely, then swaps it in: a kill at any point leaves one whole checkpoint. */
    private void saveCheckpoint(Position position, Phase phase) throws IOException {
        Path dir = out.resolve(CHECKPOINT), tmp = out.resolve(CHECKPOINT + ".tmp"), old = out.resolve(CHECKPOINT + ".old");
        deleteTree(tmp);
        ModelFiles.save(model, tmp);
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
        ModelFiles.save(model, out);
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
