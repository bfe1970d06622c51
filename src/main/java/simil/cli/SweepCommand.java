package simil.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import simil.data.DataFingerprint;
import simil.data.Split;
import simil.evaluation.EpochMetrics;
import simil.evaluation.EvalReport;
import simil.evaluation.LabelledCurve;
import simil.evaluation.LabelledEpochs;
import simil.evaluation.MetricsCsv;
import simil.evaluation.Plots;
import simil.io.AtomicFiles;
import simil.io.RunDirectory;
import simil.models.PairModel;
import simil.scoring.Evaluation;
import simil.tensor.Backend;
import simil.training.Recipe;
import simil.training.TrainingRun;

/**
 * {@code simil sweep}: one training run per point of the grid --lr × --batch × --weight-decay in
 * OUT/lr-LR[-batch-N][-wd-WD]/ (batch and weight decay name the runs when they vary; a rerun resumes
 * interrupted runs and passes over finished ones), each evaluated on the holdout's balanced pairs, then the
 * reference study's table in OUT/sweep.md and the figures OUT/loss-accuracy.png and OUT/roc.png. OUT is held
 * locked while the sweep runs; a rerun whose data or recipe differ from a run's is refused before any training.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train one model per learning rate (--lr 1e-4,5e-4,1e-3; for a grid also --batch and --weight-decay lists), evaluate each on the holdout, and tabulate and plot them.")
public final class SweepCommand implements Callable<Integer> {
    private static final String PAIRS = "balanced";
    static final RunDirectory.Kind KIND = new RunDirectory.Kind("sweep", "sweep.md");

    @Parameters(index = "0", paramLabel = "MODEL", completionCandidates = Architectures.Names.class, description = "Architecture: ${COMPLETION-CANDIDATES}.")
    String architecture;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipeOptions;

    @Mixin
    BeitOptions beit;

    @Mixin
    DeviceOption device;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep directory: one run per learning rate, sweep.md and plots.")
    Path out;

    @Option(names = "--eval-seed", defaultValue = "1", description = "Seed of the balanced evaluation pairs (default: ${DEFAULT-VALUE}).")
    long evalSeed;

    /** A finished run of the sweep: its label, recipe, per-epoch metrics and holdout evaluation. */
    private record Run(String label, Recipe recipe, List<EpochMetrics> epochs, Evaluation.Result evaluation) {}

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Architectures.check(architecture);
        List<Recipe> recipes = recipeOptions.grid(architecture);
        beit.requireBeitOr(architecture);
        Backend backend = device.open();
        try (RunDirectory claimed = RunDirectory.claim(out, KIND)) {
            return sweep(backend, claimed.path(), recipes);
        }
    }

    /** Trains and evaluates every run of the grid in {@code out} (claimed), then tabulates and plots them. */
    private int sweep(Backend backend, Path out, List<Recipe> recipes) throws Exception {
        Path archive = data.archive(System.err);
        DataFingerprint fingerprint = data.fingerprint(archive);
        // Every run of an earlier sweep in OUT is checked before any is trained: none may go on with other data.
        for (Recipe recipe : recipes) TrainingRun.checkCanStart(out.resolve(directoryName(recipe)), true, recipe, fingerprint);
        DataOptions.Loaded loaded = data.load(archive, System.err);
        for (Recipe recipe : recipes) recipe.validateFor(loaded.splits().train().size());
        List<Run> runs = new ArrayList<>();
        for (Recipe recipe : recipes) {
            Path dir = out.resolve(directoryName(recipe));
            System.err.printf("sweep: %s with recipe %s, %s, in %s%n", architecture, recipe.name(), label(recipe), dir);
            PairModel model = Architectures.build(backend, architecture, recipe, beit);
            // The trainer resumes from the last checkpoint; a finished run resumes with nothing left to train.
            new TrainingRun(model, recipe, Architectures.initialNormalization(beit), fingerprint, loaded.store(), loaded.splits(), dir,
                    System.err, Invocation.commandLine(spec)).run(true);
            Path evalDir = dir.resolve("eval-" + loaded.splits().holdout().name() + "-" + PAIRS);
            Evaluation.Result evaluation;
            try (RunDirectory claimedEval = RunDirectory.claim(evalDir, EvalCommand.KIND)) {
                evaluation = EvalCommand.evaluateAndWrite(dir, model, loaded, loaded.splits().holdout(), PAIRS, evalSeed, claimedEval.path());
            }
            runs.add(new Run(label(recipe), recipe, MetricsCsv.read(dir.resolve("metrics.csv")), evaluation));
        }
        String title = architecture + ", recipe " + recipes.get(0).name();
        Plots.trainingCurves(out.resolve("loss-accuracy.png"), "Training by learning rate — " + title,
                runs.stream().map(r -> new LabelledEpochs(r.label(), r.epochs())).toList());
        Split holdout = loaded.splits().holdout();
        Plots.roc(out.resolve("roc.png"), "ROC on the " + EvalCommand.splitTitle(holdout.name(), loaded.splits().sourceOf(holdout))
                        + " split by learning rate — " + title,
                runs.stream().map(r -> LabelledCurve.roc(r.label(), r.evaluation().scores(), r.evaluation().report().threshold())).toList(),
                runs.get(0).evaluation().report().negatives());
        String table = table(title, runs, recipeOptions.variesBatch(), recipeOptions.variesWeightDecay());
        AtomicFiles.writeString(out.resolve("sweep.md"), table);
        System.out.print(table);
        System.out.println("sweep table and plots in " + out);
        return 0;
    }

    /** OUT's subdirectory for one point of the grid: lr-LR, then -batch-N and -wd-WD where those vary. */
    private String directoryName(Recipe r) {
        return "lr-" + plain(r.lr()) + (recipeOptions.variesBatch() ? "-batch-" + r.batch() : "")
                + (recipeOptions.variesWeightDecay() ? "-wd-" + plain(r.weightDecay()) : "");
    }

    /** The legend of one run in the plots. */
    private String label(Recipe r) {
        return "lr " + plain(r.lr()) + (recipeOptions.variesBatch() ? ", batch " + r.batch() : "")
                + (recipeOptions.variesWeightDecay() ? ", wd " + plain(r.weightDecay()) : "");
    }

    /**
     * The reference study's table (per learning rate and epoch), then each run's holdout result; Batch and
     * WD columns after LR where the grid varies them.
     */
    private static String table(String title, List<Run> runs, boolean batchColumn, boolean wdColumn) {
        String extraHead = (batchColumn ? " Batch |" : "") + (wdColumn ? " WD |" : "");
        String extraRule = (batchColumn ? "---|" : "") + (wdColumn ? "---|" : "");
        StringBuilder md = new StringBuilder("# Learning-rate sweep: " + title + "\n\n");
        md.append("| LR |" + extraHead + " Epoch | Train loss | Train acc | Val loss | Val acc |\n|---|" + extraRule + "---|---|---|---|---|\n");
        for (Run run : runs) {
            for (EpochMetrics e : run.epochs()) {
                md.append(String.format(Locale.ROOT, "| %s |%s %d | %.4f | %.4f | %.4f | %.4f |%n",
                        plain(run.recipe().lr()), extraCells(run.recipe(), batchColumn, wdColumn), e.epoch(), e.trainLoss(),
                        e.trainAcc(), e.valLoss(), e.valAcc()));
            }
        }
        md.append("\nHoldout, balanced pairs (threshold chosen on the validation split):\n\n");
        md.append("| LR |" + extraHead + " Pairs | AUC | Balanced accuracy | Threshold |\n|---|" + extraRule + "---|---|---|---|\n");
        for (Run run : runs) {
            EvalReport r = run.evaluation().report();
            md.append(String.format(Locale.ROOT, "| %s |%s %d | %.4f | %.4f | %.4f |%n",
                    plain(run.recipe().lr()), extraCells(run.recipe(), batchColumn, wdColumn), r.nPairs(), r.auc(),
                    r.balancedAccuracy(), r.threshold()));
        }
        return md.toString();
    }

    private static String extraCells(Recipe r, boolean batchColumn, boolean wdColumn) {
        return (batchColumn ? " " + r.batch() + " |" : "") + (wdColumn ? " " + plain(r.weightDecay()) + " |" : "");
    }

    /** 1e-4 as 0.0001: the float's shortest decimal, without exponent. */
    static String plain(float lr) {
        return new BigDecimal(Float.toString(lr)).stripTrailingZeros().toPlainString();
    }
}
