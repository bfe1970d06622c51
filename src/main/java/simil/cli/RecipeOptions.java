package simil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import simil.training.Recipe;

/** A named recipe and the overrides users set most often; simil sweep takes lists for a grid. */
public final class RecipeOptions {
    @Option(names = "--recipe", paramLabel = "NAME|FILE.json", description = "seed (the reference protocol), default (ours, about an hour here), quick (ours in minutes), beit (BEiT fine-tuning) or beit-cpu (BEiT as a classifier then a metric network, about 70 minutes here), "
            + "or a recipe.json (a run's, to train it again); default: default for matchnet, beit for beit.")
    String name;

    @Option(names = "--lr", split = ",", paramLabel = "LR", description = "Learning rate (simil sweep: a comma-separated list, one run each).")
    List<Float> lrs;

    @Option(names = "--epochs", description = "Epochs of the phase that trains the tower.")
    Integer epochs;

    @Option(names = "--metric-epochs", paramLabel = "N", description = "Epochs of metric-network training on cached tower features (recipes default and quick).")
    Integer metricEpochs;

    @Option(names = "--batch", split = ",", paramLabel = "N", description = "Batch size: pairs, or images for classifier training (simil sweep: a list).")
    List<Integer> batches;

    @Option(names = "--weight-decay", split = ",", paramLabel = "WD", description = "Weight decay (simil sweep: a list).")
    List<Float> weightDecays;

    @Option(names = "--pairs-per-image", paramLabel = "F", description = "Training pairs per epoch as a fraction of the training images (pair training; the recipes use 0.5).")
    Float pairsPerImage;

    @Option(names = "--budget-minutes", paramLabel = "M", description = "Wall-time budget: a probe of the first steps sizes every phase "
            + "(fewer epochs, each schedule run to its end) so the run fits; the recipe's epochs are kept when they fit, and it is an "
            + "error when one epoch of each phase does not. Recipes default (60), quick (8) and beit-cpu (70) carry a budget of their own; seed and beit none. "
            + "0: no budget (every epoch of the recipe).")
    Float budgetMinutes;

    @Option(names = "--seed", description = "Seed of weights, dropout, batches and augmentation.")
    Long seed;

    @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "Set any recipe field by its name in recipe.json, for ablations: --set augment=false --set labelSmoothing=0 (repeatable).")
    Map<String, String> overrides;

    /** The one recipe these options describe for {@code architecture} (single values only). */
    Recipe recipe(String architecture) {
        List<Recipe> grid = grid(architecture);
        if (grid.size() > 1) throw new IllegalArgumentException("--lr, --batch and --weight-decay take one value here (simil sweep takes lists)");
        return grid.get(0);
    }

    /** One recipe per combination of --lr × --batch × --weight-decay, in that nesting order. */
    List<Recipe> grid(String architecture) {
        Recipe base = base(architecture);
        if (overrides != null) base = base.withOverrides(overrides);
        if (epochs != null) base = base.withEpochs(epochs);
        if (metricEpochs != null) base = base.withMetricEpochs(metricEpochs);
        if (budgetMinutes != null) base = base.withBudgetMinutes(budgetMinutes);
        if (pairsPerImage != null) base = base.withPairsPerImage(pairsPerImage);
        if (seed != null) base = base.withSeed(seed);
        List<Recipe> grid = new ArrayList<>();
        for (Float lr : orSingle(lrs)) {
            for (Integer batch : orSingle(batches)) {
                for (Float wd : orSingle(weightDecays)) {
                    Recipe r = base;
                    if (lr != null) r = r.withLr(lr);
                    if (batch != null) r = r.withBatch(batch);
                    if (wd != null) r = r.withWeightDecay(wd);
                    grid.add(r.validate());
                }
            }
        }
        return grid;
    }

    /** The recipe --recipe names: a file when it ends in .json or is one, else a named recipe. */
    private Recipe base(String architecture) {
        if (name == null) return Recipe.named(architecture.equals("beit") ? "beit" : "default");
        Path file = Path.of(name);
        if (name.endsWith(".json") || Files.isRegularFile(file)) return Recipe.read(file);
        try {
            return Recipe.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--recipe " + name + ": no such recipe (" + String.join(", ", Recipe.NAMES) + ") or recipe.json file");
        }
    }

    /** Whether the grid varies the batch size, or the weight decay (their values then name the runs). */
    boolean variesBatch() { return batches != null && batches.size() > 1; }
    boolean variesWeightDecay() { return weightDecays != null && weightDecays.size() > 1; }

    /** The values given, or one null meaning "the recipe's own". */
    private static <T> List<T> orSingle(List<T> values) {
        List<T> single = new ArrayList<>();
        single.add(null);
        return values == null || values.isEmpty() ? single : values;
    }
}
