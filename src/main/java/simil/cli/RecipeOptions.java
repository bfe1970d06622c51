package simil.cli;

import java.util.List;
import picocli.CommandLine.Option;
import simil.training.Recipe;

/** A named recipe and the overrides users set most often. */
public final class RecipeOptions {
    @Option(names = "--recipe", defaultValue = "seed", description = "seed (the reference protocol), default (ours, about an hour here) or quick (ours in minutes); default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--lr", split = ",", paramLabel = "LR", description = "Learning rate (simil sweep: a comma-separated list, one run each).")
    List<Float> lrs;

    @Option(names = "--epochs", description = "Epochs of the phase that trains the tower.")
    Integer epochs;

    @Option(names = "--batch", description = "Batch size (pairs, or images for classifier training).")
    Integer batch;

    @Option(names = "--weight-decay", description = "Weight decay.")
    Float weightDecay;

    @Option(names = "--budget-minutes", description = "Stop training phases once this much wall time is spent.")
    Float budgetMinutes;

    @Option(names = "--seed", description = "Seed of weights, dropout, batches and augmentation.")
    Long seed;

    /** The one recipe these options describe (a single --lr at most). */
    Recipe recipe() {
        if (lrs != null && lrs.size() > 1) throw new IllegalArgumentException("--lr takes one value here (simil sweep takes a list)");
        return lrs == null ? base() : base().withLr(lrs.get(0));
    }

    /** One recipe per --lr value, in the order given (the named recipe's own rate when --lr is absent). */
    List<Recipe> recipePerLr() {
        Recipe base = base();
        return lrs == null ? List.of(base) : lrs.stream().map(base::withLr).toList();
    }

    private Recipe base() {
        Recipe r = Recipe.named(name);
        if (epochs != null) r = r.withEpochs(epochs);
        if (batch != null) r = r.withBatch(batch);
        if (weightDecay != null) r = r.withWeightDecay(weightDecay);
        if (budgetMinutes != null) r = r.withBudgetMinutes(budgetMinutes);
        if (seed != null) r = r.withSeed(seed);
        return r;
    }
}
