package simil.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import simil.data.ImageBatcher;
import simil.data.Split;
import simil.data.Splits;
import simil.evaluation.EpochMetrics;
import simil.evaluation.EvalReport;
import simil.evaluation.LabelledCurve;
import simil.evaluation.LabelledEpochs;
import simil.evaluation.MetricsCsv;
import simil.evaluation.Plots;
import simil.io.RunDirectory;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.scoring.AllPairsScorer;
import simil.scoring.Evaluation;
import simil.training.TrainingRun;
import simil.scoring.PairScoring;
import simil.scoring.Scorer;

/** {@code simil eval}: scores a split's pairs with a trained model and writes report.json and plots. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on the balanced pairs or on every ordered pair of a split; writes report.json and PNG plots.")
public final class EvalCommand implements Callable<Integer> {
    /** What an evaluation's folder is, to {@link RunDirectory}. */
    static final RunDirectory.Kind KIND = new RunDirectory.Kind("evaluation", "report.json");

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train).")
    Path modelDir;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "holdout", description = "holdout, validation, train, or unseen: the holdout images of "
            + "the classes a run held out of training (--holdout-classes); default: ${DEFAULT-VALUE}.")
    String splitName;

    @Option(names = "--pairs", defaultValue = "balanced", description = "balanced (50,000 pairs) or all (every ordered pair); default: ${DEFAULT-VALUE}.")
    String pairs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where report.json and plots go (default: MODEL/eval-SPLIT-PAIRS).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the balanced pairs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Option(names = "--scorer", defaultValue = "metric", converter = ScorerConverter.class, completionCandidates = ScorerConverter.class,
            description = "What scores a pair: metric (the metric network), posterior (Σ_c p_a(c)·p_b(c) from the classifier head the tower "
                    + "was trained with; not for --split unseen) or both (their log-odds averaged); default: ${DEFAULT-VALUE}.")
    Scorer scorer;

    /** A scorer by name, in any case; anything else lists them. Its names are what the shell completes. */
    static final class ScorerConverter implements CommandLine.ITypeConverter<Scorer>, Iterable<String> {
        @Override
        public Scorer convert(String value) {
            try {
                return Scorer.named(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Scorer.values()).map(Scorer::cliName).iterator();
        }
    }

    @Option(names = "--precision", defaultValue = "int8", converter = PrecisionConverter.class, completionCandidates = PrecisionConverter.class,
            description = "For --pairs all: int8 (fused kernel; fp32 on a device without one; ΔAUC ~1e-5) or fp32 (exact); default: ${DEFAULT-VALUE}.")
    AllPairsScorer.Precision precision;

    /** A precision by name, in any case; anything else lists them. Its names, in lower case, are what the shell completes. */
    static final class PrecisionConverter implements CommandLine.ITypeConverter<AllPairsScorer.Precision>, Iterable<String> {
        @Override
        public AllPairsScorer.Precision convert(String value) {
            for (AllPairsScorer.Precision p : AllPairsScorer.Precision.values()) {
                if (p.name().equalsIgnoreCase(value)) return p;
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(AllPairsScorer.Precision.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        // "val", the official split's name, is the holdout's alias.
        if (!splitName.equals("val")) OptionChecks.oneOf("--split", splitName, Splits.NAMES);
        OptionChecks.oneOf("--pairs", pairs, List.of("balanced", "all"));
        Evaluation.checkApplies(scorer, splitName);
        data.validate();
        PairModel model = ModelFiles.load(device.open(), modelDir);
        ClassifierHead head = scorer.usesPosterior()
                ? ModelFiles.loadHead(model, modelDir, "--scorer " + scorer.cliName() + " scores pairs by") : null;
        Path archive = data.archive(System.err);
        data.adoptRun(modelDir, archive, System.err);
        DataOptions.Loaded loaded = data.load(archive, System.err);
        Split split = loaded.splits().named(splitName);
        if (split.name().equals(Splits.UNSEEN) && loaded.splits().heldOutClasses().count() == 0) {
            throw new IllegalArgumentException("--split " + Splits.UNSEEN + ": no class was held out of training"
                    + " (train with --holdout-classes N; the model's run records none)");
        }
        if (head != null && head.classes() != loaded.splits().heldOutClasses().trainedCount()) {
            throw new IllegalArgumentException(modelDir + "'s classifier head has " + head.classes() + " outputs, but its data has "
                    + loaded.splits().heldOutClasses().trainedCount() + " trained classes: not the run's data");
        }
        PairScoring scoring = new PairScoring(model, head, scorer, precision);
        Path dir = out != null ? out : modelDir.resolve("eval-" + split.name() + "-" + pairs + (scorer == Scorer.METRIC ? "" : "-" + scorer.cliName()));
        EvalReport r;
        try (RunDirectory claimed = RunDirectory.claim(dir, KIND)) {
            r = evaluateAndWrite(modelDir, scoring, loaded, split, pairs, seed, claimed.path()).report();
        }
        System.out.printf(Locale.ROOT, "%s pairs of %s (%d images, %d pairs), %s scores: AUC %.4f, AP %.4f, balanced accuracy %.4f, accuracy %.4f at threshold %.4f; %.0f pairs/s%n",
                pairs, split.name(), r.nImages(), r.nPairs(), scorer.cliName(), r.auc(), r.ap(), r.balancedAccuracy(), r.accuracy(),
                r.threshold(), r.pairsPerSecond());
        if (r.scorerNote() != null) System.out.println("note: " + r.scorerNote());
        System.out.println("report and plots in " + dir);
        return 0;
    }

    /** "holdout (official val/)", "holdout (50 per class carved from train/)": which images a split is, truthfully. */
    static String splitTitle(String split, String source) {
        return split + " (" + source + ")";
    }

    /**
     * Chooses the threshold on the validation split (recording it in {@code dir}'s threshold.json), scores
     * {@code split}'s pairs, and writes report.json and the plots into {@code dir}. Shared with simil sweep.
     */
    static Evaluation.Result evaluateAndWrite(Path modelDir, PairModel model, DataOptions.Loaded loaded, Split split,
                                              String pairs, long seed, Path dir) throws IOException {
        return evaluateAndWrite(modelDir, PairScoring.metric(model, AllPairsScorer.DEFAULT), loaded, split, pairs, seed, dir);
    }

    /** As above, scoring as {@code scoring} says; the threshold is recorded for its scorer. */
    static Evaluation.Result evaluateAndWrite(Path modelDir, PairScoring scoring, DataOptions.Loaded loaded, Split split,
                                              String pairs, long seed, Path dir) throws IOException {
        PairModel model = scoring.model();
        ImageBatcher images = new ImageBatcher(model.backend(), loaded.store(), ModelFiles.readNormalization(modelDir), null);
        float threshold = Evaluation.chooseThreshold(scoring, images, loaded.splits().validation());
        System.err.printf(Locale.ROOT, "threshold %.4f (maximizes balanced accuracy over all pairs of the validation split)%n", threshold);
        String name = modelDir.toAbsolutePath().normalize().getFileName().toString();
        String source = loaded.splits().sourceOf(split);
        Evaluation.Result result = Evaluation.evaluate(name, scoring, images, split, source, pairs, threshold, seed, System.err);
        Files.createDirectories(dir);
        EvalReport r = result.report();
        new DecisionThreshold(threshold, "maximizes balanced accuracy over all pairs of the validation split", scoring.scorer().cliName())
                .write(dir);
        r.write(dir.resolve("report.json"));
        String title = model.architecture() + ", " + splitTitle(split.name(), source) + ", " + pairs + " pairs"
                + (scoring.scorer() == Scorer.METRIC ? "" : ", " + scoring.scorer().cliName() + " scores");
        Plots.roc(dir.resolve("roc.png"), "ROC — " + title, List.of(LabelledCurve.roc(name, result.scores(), threshold)), r.negatives());
        Plots.precisionRecall(dir.resolve("pr.png"), "Precision–recall — " + title,
                List.of(LabelledCurve.precisionRecall(name, result.scores(), threshold)), (double) r.positives() / r.nPairs());
        Plots.scoreHistogram(dir.resolve("scores.png"), "Scores by class — " + title, result.scores(), threshold);
        Plots.confusionMatrix(dir.resolve("confusion.png"), String.format(Locale.ROOT, "Confusion at threshold %.3f — %s", threshold, title), r.confusion());
        Plots.confusionMatrix(dir.resolve("confusion-0.5.png"), "Confusion at threshold 0.5 — " + title, r.confusionAtHalf());
        List<LabelledEpochs> phases = trainingPhases(modelDir);
        if (!phases.isEmpty()) Plots.trainingPhases(dir.resolve("training.png"), "Training — " + name, phases);
        return result;
    }

    /**
     * The model's training metrics, one entry per phase in the order they ran: metrics.csv (the first phase), then
     * metrics-PHASE.csv in the run's phase order; labelled by the rows' phase (files written before rows named it:
     * by the file). Empty for a model without metrics (an import).
     */
    static List<LabelledEpochs> trainingPhases(Path modelDir) throws IOException {
        List<Path> later;
        try (Stream<Path> files = Files.list(modelDir)) {
            later = files.filter(f -> f.getFileName().toString().matches("metrics-.+\\.csv")).sorted(Comparator
                    .comparingInt((Path f) -> phaseRank(phaseOfFile(f))).thenComparing(Path::toString)).toList();
        }
        List<Path> inOrder = new ArrayList<>();
        Path first = modelDir.resolve("metrics.csv");
        if (Files.exists(first)) inOrder.add(first);
        inOrder.addAll(later);
        List<LabelledEpochs> phases = new ArrayList<>();
        for (Path file : inOrder) {
            List<EpochMetrics> rows = MetricsCsv.read(file);
            if (rows.isEmpty()) continue;
            String phase = rows.get(0).phase() != null ? rows.get(0).phase() : file.equals(first) ? "training" : phaseOfFile(file);
            phases.add(new LabelledEpochs(phase, rows));
        }
        return phases;
    }

    private static String phaseOfFile(Path file) {
        String name = file.getFileName().toString();
        return name.substring("metrics-".length(), name.length() - ".csv".length());
    }

    private static int phaseRank(String phase) {
        int rank = TrainingRun.PHASES.indexOf(phase);
        return rank < 0 ? TrainingRun.PHASES.size() : rank;
    }
}
