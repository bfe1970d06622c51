package simil.cli;

import picocli.CommandLine.Option;
import simil.training.Recipe;

/** A named recipe and the overrides users set most often. */
public final class RecipeOptions {
    @Option(names = "--recipe", defaultValue = "seed", description = "seed (the reference protocol) or default (ours); default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--lr", description = "Learning rate.")
    Float lr;

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

    Recipe recipe() {
        Recipe r = Recipe.named(name);
        if (lr != null) r = r.withLr(lr);
        if (epochs != null) r = r.withEpochs(epochs);
        if (batch != null) r = r.withBatch(batch);
        if (weightDecay != null) r = r.withWeightDecay(weightDecay);
        if (budgetMinutes != null) r = r.withBudgetMinutes(budgetMinutes);
        if (seed != null) r = r.withSeed(seed);
        return r;
    }
}
