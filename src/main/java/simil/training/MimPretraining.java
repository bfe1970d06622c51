package simil.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import simil.data.DataFingerprint;
import simil.data.ImageStore;
import simil.data.Normalization;
import simil.data.Splits;
import simil.io.RunDirectory;
import simil.models.beit.BeitConfig;
import simil.models.files.ModelFiles;
import simil.optim.Adam;
import simil.optim.WarmupCosine;
import simil.tensor.Backend;
import simil.tensor.BlockwiseMasking;
import simil.tensor.Device;
import simil.tokenizer.Tokenizer;

/**
 * BEiT pre-training by masked image modeling ({@code simil pretrain beit}), on the same checkpointed epoch
 * loop as pair training. The output directory is a BEiT model directory ({@code config.json},
 * {@code model.safetensors} with the encoder under "encoder." and the head under "mim_head.") plus
 * {@code normalization.json}, {@code pretrain.json}, {@code data.json}, {@code provenance.json}, {@code metrics.csv},
 * {@code steps.jsonl} and {@code checkpoint/}.
 */
public final class MimPretraining {
    /** What a pre-training run's folder is, to {@link RunDirectory}. */
    public static final RunDirectory.Kind KIND = new RunDirectory.Kind("pre-training run", "pretrain.json");

    private final MimModel model;
    private final Tokenizer tokenizer;
    private final PretrainSettings settings;
    private final DataFingerprint data;
    private final ImageStore store;
    private final Splits splits;
    private final Path out;
    private final PrintStream log;
    private final List<String> commandLine;
    private final Device device;

    /** {@code data}: what {@code store} and {@code splits} are, recorded in {@code data.json} and checked on resume. */
    public MimPretraining(Backend backend, PretrainSettings settings, Tokenizer tokenizer, DataFingerprint data, ImageStore store,
                          Splits splits, Path out, PrintStream log, List<String> commandLine) {
        BeitConfig config = BeitConfig.preset(settings.config(), settings.seed()).withVocabSize(tokenizer.vocabulary());
        BlockwiseMasking masking = new BlockwiseMasking(config.grid(), config.grid(), settings.maskRatio());
        this.model = new MimModel(backend, config, settings.batch(), masking.target());
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.data = data;
        this.store = store;
        this.splits = splits;
        this.out = out;
        this.log = log;
        this.commandLine = List.copyOf(commandLine);
        this.device = backend.device();
    }

    /** Refuses, before any data is loaded and writing nothing, a run that {@link #run} would refuse (see TrainingRun's). */
    public static void checkCanStart(Path out, boolean resume, PretrainSettings settings, DataFingerprint data) throws IOException {
        CheckpointedEpochs.checkCanStart(out, KIND, resume, pinned(settings, data));
    }

    private static List<PinnedSettings> pinned(PretrainSettings settings, DataFingerprint data) {
        return List.of(PinnedSettings.of("pretrain.json", "different pre-training settings", settings, PretrainSettings::fromJson,
                PretrainSettings::toJson), PinnedSettings.of(data));
    }

    /**
     * Pre-trains (or resumes) and returns the output directory, which it holds locked meanwhile; a time budget plans
     * the epochs (one phase).
     */
    public Path run(boolean resume) throws IOException {
        try (RunDirectory claimed = RunDirectory.claim(out, KIND)) {
            return run(new CheckpointedEpochs(model, claimed.path(), log), resume);
        }
    }

    private Path run(CheckpointedEpochs epochs, boolean resume) throws IOException {
        List<PinnedSettings> written = new ArrayList<>(pinned(settings, data));
        written.add(RunProvenance.of(commandLine, device, data, store, splits, "pretrain", settings.toJson()));
        CheckpointedEpochs.Position at = epochs.begin(resume, written);
        Normalization normalization = Normalization.measure(store, splits.train().indices());
        ModelFiles.writeNormalization(out, normalization);
        BudgetPlan plan = epochs.plan(settings.budgetMinutes(),
                () -> List.of(SpeedProbe.measure(model, phase(settings, normalization), 0)));
        MimPhase phase = phase(plan == null ? settings : settings.withEpochs(plan.epochsOf("mim")), normalization);
        log.printf("pre-training BEiT-%s (%d parameters) by masked image modeling over %d visual tokens%n", settings.config(),
                model.parameters().stream().mapToLong(p -> p.size()).sum(), tokenizer.vocabulary());
        epochs.runPhase(0, phase, at.epochsDone());
        epochs.finish();
        return out;
    }

    /** The masked-image-modeling phase for {@code sized}'s epochs (its schedule spans them), with a new optimizer. */
    private MimPhase phase(PretrainSettings sized, Normalization normalization) {
        long steps = (long) sized.epochs() * MimPhase.stepsPerEpoch(sized, splits.train().size());
        WarmupCosine schedule = new WarmupCosine(sized.lr(), Math.min(sized.warmupSteps(), steps), steps, sized.lr() * 0.01f);
        Adam adam = Adam.adamW(model.parameters(), sized.weightDecay());
        return new MimPhase(model, tokenizer, store, splits.train(), splits.validation(), normalization, sized, adam, schedule);
    }
}
