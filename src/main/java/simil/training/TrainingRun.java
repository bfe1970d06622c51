package simil.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.data.DataFingerprint;
import simil.data.ImageBatcher;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.data.RandomCropFlip;
import simil.data.Splits;
import simil.io.Checkpoint;
import simil.io.ModelDirectory;
import simil.io.RunDirectory;
import simil.layers.Parameter;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.optim.Adam;
import simil.optim.ConstantLr;
import simil.optim.LrSchedule;
import simil.optim.WarmupCosine;
import simil.scoring.Embeddings;
import simil.tensor.Tensor;

/**
 * Runs a recipe's phases in order with a checkpoint after every epoch. The output directory, locked while the
 * run lasts, holds the latest model ({@code config.json}, {@code model.safetensors}, and with a classifier phase its
 * head, {@code classifier.safetensors}, for posterior pair scores), the settings that pin the
 * run ({@code recipe.json}, {@code data.json}), what made it ({@code provenance.json}), one metrics CSV per phase, a
 * log of every step ({@code steps.jsonl}) and {@code checkpoint/} (model,
 * optimizer state, metrics, position). A killed run resumed with the same recipe and data continues from its
 * last epoch and ends with the same weights as an uninterrupted one; other settings are refused.
 */
public final class TrainingRun {
    /** What a training run's folder is, to {@link RunDirectory}. */
    public static final RunDirectory.Kind KIND = new RunDirectory.Kind("training run", "recipe.json");
    /** The phases a recipe can have, in the order they run (those with epochs run). */
    public static final List<String> PHASES = List.of("classifier", "pairs", "metric");
    /** Images per embedding batch when caching features for the metric phase. */
    private static final int CACHING_BATCH = 256;

    private final PairModel model;
    private final Recipe recipe;
    private final DataFingerprint data;
    private final ImageStore store;
    private final Splits splits;
    private final Path out;
    private final PrintStream log;
    private final ImageBatcher trainImages, evalImages;
    private final List<String> commandLine;
    /** The classifier phase's head (null without one), checkpointed and saved with the model. */
    private final ClassifierHead head;
    private final RunModel runModel;

    /** {@code data}: what {@code store} and {@code splits} are, recorded in {@code data.json} and checked on resume. */
    public TrainingRun(PairModel model, Recipe recipe, DataFingerprint data, ImageStore store, Splits splits, Path out,
                       PrintStream log) {
        this(model, recipe, null, data, store, splits, out, log, List.of());
    }

    /**
     * {@code inputNormalization}: the pixel normalization the model's initial weights expect (a pre-trained
     * encoder's), which fine-tuning must keep; null to follow the recipe (measured per channel on the
     * training images, or none). {@code commandLine}: the command that started the run, for its provenance.json
     * (empty when none did).
     */
    public TrainingRun(PairModel model, Recipe recipe, Normalization inputNormalization, DataFingerprint data, ImageStore store,
                       Splits splits, Path out, PrintStream log, List<String> commandLine) {
        this.model = model;
        this.recipe = recipe;
        this.data = data;
        this.store = store;
        this.splits = splits;
        this.out = out;
        this.log = log;
        this.commandLine = List.copyOf(commandLine);
        Normalization norm = inputNormalization != null ? inputNormalization
                : recipe.normalize() ? Normalization.measure(store, splits.train().indices()) : Normalization.NONE;
        this.trainImages = new ImageBatcher(model.backend(), store, norm,
                recipe.augment() ? new RandomCropFlip(4, recipe.seed()) : null);
        this.evalImages = new ImageBatcher(model.backend(), store, norm, null);
        this.head = recipe.classifierEpochs() > 0
                ? new ClassifierHead(model.backend(), model.embeddingSize(), splits.heldOutClasses().trainedCount(), recipe.seed() + 500)
                : null;
        this.runModel = new RunModel();
    }

    /**
     * Refuses, before any data is loaded and writing nothing, a run that {@link #run} would refuse: {@code out} is
     * not a training run's folder, holds a run and {@code resume} is not given, or holds one of another recipe or data.
     */
    public static void checkCanStart(Path out, boolean resume, Recipe recipe, DataFingerprint data) throws IOException {
        CheckpointedEpochs.checkCanStart(out, KIND, resume, pinned(recipe, data));
    }

    private static List<PinnedSettings> pinned(Recipe recipe, DataFingerprint data) {
        return List.of(PinnedSettings.of("recipe.json", "a different recipe", recipe, Recipe::fromJson, Recipe::toJson),
                PinnedSettings.of(data));
    }

    /**
     * Trains (or resumes when {@code resume} and a checkpoint exists) and returns the output directory, which it
     * holds locked meanwhile. With a time budget, the phases' epochs are those of the budget's plan (see
     * {@link CheckpointedEpochs#plan}).
     */
    public Path run(boolean resume) throws IOException {
        try (RunDirectory claimed = RunDirectory.claim(out, KIND)) {
            return run(new CheckpointedEpochs(runModel, claimed.path(), log), resume);
        }
    }

    private Path run(CheckpointedEpochs epochs, boolean resume) throws IOException {
        List<PinnedSettings> written = new ArrayList<>(pinned(recipe, data));
        written.add(RunProvenance.of(commandLine, model.backend().device(), data, store, splits, "recipe", recipe.toJson()));
        CheckpointedEpochs.Position at = epochs.begin(resume, written);
        // The classifier phase, the first, restores its head itself (a checkpoint made before heads were kept has it in
        // the optimizer state only); past it, the head is the checkpoint's or, from such a checkpoint, lost.
        if (at.phase() == 0) runModel.headKept = true;
        ModelFiles.writeNormalization(out, trainImages.normalization());
        BudgetPlan plan = epochs.plan(recipe.budgetMinutes(), this::measurePhases);
        Recipe planned = plan == null ? recipe
                : recipe.withPhaseEpochs(plan.epochsOf("classifier"), plan.epochsOf("pairs"), plan.epochsOf("metric"));
        List<String> phases = phaseNames();
        for (int p = at.phase(); p < phases.size(); p++) {
            epochs.runPhase(p, buildPhase(phases.get(p), planned), p == at.phase() ? at.epochsDone() : 0);
        }
        epochs.finish();
        return out;
    }

    /**
     * The pair model and the head as the epoch loop sees them: saved as a model directory, the head beside the weights,
     * dropout positioned per step.
     */
    private final class RunModel implements Trainable {
        /** Whether the head holds this run's training, so is saved: not after a resume that found none in its checkpoint. */
        boolean headKept = true;

        @Override
        public Map<String, Tensor> stateTensors() {
            Map<String, Tensor> state = new LinkedHashMap<>(model.stateTensors());
            if (head != null) state.putAll(head.stateTensors());
            return state;
        }

        @Override
        public void save(Path dir) throws IOException {
            ModelFiles.save(model, headKept ? head : null, dir);
        }

        @Override
        public void load(Path dir) {
            Checkpoint.load(dir.resolve(ModelDirectory.WEIGHTS), model.stateTensors());
            if (head == null) return;
            Path file = dir.resolve(ModelFiles.HEAD);
            headKept = Files.exists(file);
            if (headKept) Checkpoint.load(file, head.stateTensors());
        }

        @Override
        public void restoreRandomStep(long step) {
            model.restoreDropoutStep(step);
        }
    }

    private List<String> phaseNames() {
        int[] epochs = {recipe.classifierEpochs(), recipe.pairEpochs(), recipe.metricEpochs()};
        List<String> names = new ArrayList<>();
        for (int p = 0; p < PHASES.size(); p++) {
            if (epochs[p] > 0) names.add(PHASES.get(p));
        }
        return names;
    }

    /**
     * Every phase of the recipe measured at its recipe's epochs, on throwaway phases (the caller restores the
     * model). The metric phase is measured on zero features of the real shape (its step costs the same on any
     * values), its feature caching from one batch of training images.
     */
    private List<PhasePlan> measurePhases() {
        List<PhasePlan> measured = new ArrayList<>();
        for (String name : phaseNames()) {
            if (!name.equals("metric")) {
                measured.add(SpeedProbe.measure(runModel, buildPhase(name, recipe), 0));
                continue;
            }
            int[] batch = Arrays.copyOf(splits.train().indices(), Math.min(CACHING_BATCH, splits.train().size()));
            double perImage = SpeedProbe.secondRunSeconds(() -> Embeddings.compute(model, evalImages, batch, CACHING_BATCH)) / batch.length;
            double caching = perImage * (splits.train().size() + splits.validation().size());
            Tensor train = model.backend().zeros(splits.train().size(), model.embeddingSize());
            Tensor validation = model.backend().zeros(splits.validation().size(), model.embeddingSize());
            measured.add(SpeedProbe.measure(runModel, metricPhase(train, validation, recipe), caching));
        }
        return measured;
    }

    /** The phase called {@code name}, sized (epochs, schedule) by {@code sized}'s epochs. */
    private Phase buildPhase(String name, Recipe sized) {
        return switch (name) {
            case "classifier" -> {
                List<Parameter> params = new ArrayList<>(model.embeddingParameters());
                params.addAll(head.parameters());
                int steps = sized.classifierEpochs() * (splits.train().size() / sized.batch());
                yield new ClassifierPhase(model, trainImages, evalImages, splits.train(), splits.validation(), sized,
                        head, splits.heldOutClasses().classifierIndexOfLabel(), optimizer(params, sized.lr()), schedule(sized.lr(), steps));
            }
            case "pairs" -> {
                int steps = sized.pairEpochs() * Math.max(1, Math.round(splits.train().size() * sized.pairsPerImage()) / sized.batch());
                yield new PairPhase(model, trainImages, evalImages, splits.train(), splits.validation(), sized,
                        optimizer(model.parameters(), sized.lr()), schedule(sized.lr(), steps));
            }
            case "metric" -> {
                log.printf("caching embeddings of %d training and %d validation images%n", splits.train().size(),
                        splits.validation().size());
                Tensor train = Embeddings.compute(model, evalImages, splits.train().indices(), CACHING_BATCH);
                Tensor validation = Embeddings.compute(model, evalImages, splits.validation().indices(), CACHING_BATCH);
                yield metricPhase(train, validation, sized);
            }
            default -> throw new IllegalStateException(name);
        };
    }

    /** The metric phase over cached features {@code train} and {@code validation} (rows in split order). */
    private MetricPhase metricPhase(Tensor train, Tensor validation, Recipe sized) {
        int pairsPerEpoch = Math.max(MetricPhase.BATCH, splits.train().size() * 4);
        int steps = sized.metricEpochs() * (pairsPerEpoch / MetricPhase.BATCH);
        return new MetricPhase(model.metric(), train, validation, splits.train(), splits.validation(),
                store.size(), sized, pairsPerEpoch, optimizer(model.metric().parameters(), sized.metricLr()),
                schedule(sized.metricLr(), steps));
    }

    private Adam optimizer(List<Parameter> params, float lr) {
        return switch (recipe.optimizer()) {
            case ADAM -> Adam.adam(params, recipe.weightDecay());
            case ADAMW -> Adam.adamW(params, recipe.weightDecay());
        };
    }

    private LrSchedule schedule(float lr, int totalSteps) {
        return switch (recipe.schedule()) {
            case CONSTANT -> new ConstantLr(lr);
            case COSINE -> new WarmupCosine(lr, Math.min(recipe.warmupSteps(), totalSteps), totalSteps, lr * 0.01f);
        };
    }
}
