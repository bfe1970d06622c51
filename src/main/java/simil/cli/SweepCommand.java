package simil.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simil.evaluation.EpochMetrics;
import simil.evaluation.EvalReport;
import simil.evaluation.LabelledCurve;
import simil.evaluation.MetricsCsv;
import simil.evaluation.Plots;
import simil.models.PairModel;
import simil.scoring.Evaluation;
import simil.training.Recipe;
import simil.training.TrainingRun;

/**
 * {@code simil sweep}: one training run per learning rate in OUT/lr-LR/ (a rerun resumes interrupted runs
 * and passes over finished ones), each evaluated on the holdout's balanced pairs, then the reference
 * study's table in OUT/sweep.md and the figures OUT/loss-accuracy.png and OUT/roc.png.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Train one model per learning rate (--lr 1e-4,5e-4,1e-3), evaluate each on the holdout, and tabulate and plot them.")
public final class SweepCommand implements Callable<Integer> {
    private static final String PAIRS = "balanced";

    @Parameters(index = "0", paramLabel = "MODEL", description = "Architecture: matchnet.")
    String architecture;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipeOptions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep directory: one run per learning rate, sweep.md and plots.")
    Path out;

    @Option(names = "--eval-seed", defaultValue = "1", description = "Seed of the balanced evaluation pairs (default: ${DEFAULT-VALUE}).")
    long evalSeed;

    /** A finished run of the sweep: its recipe, per-epoch metrics and holdout evaluation. */
    private record Run(Recipe recipe, List<EpochMetrics> epochs, Evaluation.Result evaluation) {}

    @Override
    public Integer call() throws Exception {
        List<Recipe> recipes = recipeOptions.recipePerLr();
        DataOptions.Loaded loaded = data.load(System.err);
        List<Run> runs = new ArrayList<>();
        for (Recipe recipe : recipes) {
            Path dir = out.resolve("lr-" + plain(recipe.lr()));
            System.err.printf("sweep: %s with recipe %s at lr %s in %s%n", architecture, recipe.name(), plain(recipe.lr()), dir);
            PairModel model = Architectures.build(architecture, recipe);
            Files.createDirectories(dir);
            data.record(dir);
            // The trainer resumes from the last checkpoint; a finished run resumes with nothing left to train.
            new TrainingRun(model, recipe, loaded.store(), loaded.splits(), dir, System.err).run(Files.exists(dir.resolve("checkpoint")));
            Evaluation.Result evaluation = EvalCommand.evaluateAndWrite(dir, model, loaded, loaded.splits().holdout(), PAIRS,
                    evalSeed, dir.resolve("eval-" + loaded.splits().holdout().name() + "-" + PAIRS));
            runs.add(new Run(recipe, MetricsCsv.read(dir.resolve("metrics.csv")), evaluation));
        }
        String title = architecture + ", recipe " + recipes.get(0).name();
        Plots.trainingCurves(out.resolve("loss-accuracy.png"), "Training by learning rate — " + title,
                runs.stream().flatMap(r -> r.epochs().stream()).toList());
        Plots.roc(out.resolve("roc.png"), "ROC on the " + loaded.splits().holdout().name() + " split by learning rate — " + title,
                runs.stream().map(r -> LabelledCurve.roc("lr " + plain(r.recipe().lr()), r.evaluation().scores())).toList());
        Files.writeString(out.resolve("sweep.md"), table(title, runs));
        System.out.print(table(title, runs));
        System.out.println("sweep table and plots in " + out);
        return 0;
    }

    /** The reference study's table (per learning rate and epoch), then each run's holdout result. */
    private static String table(String title, List<Run> runs) {
        StringBuilder md = new StringBuilder("# Learning-rate sweep: " + title + "\n\n");
        md.append("| LR | Epoch | Train loss | Train acc | Val loss | Val acc |\n|---|---|---|---|---|---|\n");
        for (Run run : runs) {
            for (EpochMetrics e : run.epochs()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f | %.4f |%n",
                        plain(run.recipe().lr()), e.epoch(), e.trainLoss(), e.trainAcc(), e.valLoss(), e.valAcc()));
            }
        }
        md.append("\nHoldout, balanced pairs (threshold chosen on the validation split):\n\n");
        md.append("| LR | Pairs | AUC | Balanced accuracy | Threshold |\n|---|---|---|---|---|\n");
        for (Run run : runs) {
            EvalReport r = run.evaluation().report();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f |%n",
                    plain(run.recipe().lr()), r.nPairs(), r.auc(), r.balancedAccuracy(), r.threshold()));
        }
        return md.toString();
    }

    /** 1e-4 as 0.0001: the float's shortest decimal, without exponent. */
    static String plain(float lr) {
        return new BigDecimal(Float.toString(lr)).stripTrailingZeros().toPlainString();
    }
}
