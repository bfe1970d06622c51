package simil.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * Everything that decides how a model is trained. {@link #seedRecipe()} is the reference study's protocol;
 * {@link #defaultRecipe()} is our recipe for the best AUC in a fixed CPU budget (see README, "Recipes").
 *
 * @param classifierEpochs epochs of 200-way classification of single images through the tower (0: none)
 * @param pairEpochs epochs of end-to-end pair training with binary cross-entropy (the reference protocol)
 * @param metricEpochs epochs of metric-network training on cached tower features (the tower frozen)
 */
public record Recipe(
        String name,
        int classifierEpochs, int pairEpochs, int metricEpochs,
        float lr, float metricLr, int batch, String optimizer, float weightDecay,
        String schedule, int warmupSteps, float labelSmoothing,
        boolean augment, boolean normalize, boolean batchNorm,
        float pairsPerImage, float budgetMinutes, long seed) {

    /** The reference protocol: Adam, no schedule, batch 32 pairs, 5 epochs of balanced pairs, pixels in [0, 1]. */
    public static Recipe seedRecipe() {
        return new Recipe("seed", 0, 5, 0, 1e-4f, 1e-4f, 32, "adam", 0f, "constant", 0, 0f,
                false, false, false, 0.5f, 0f, 1L);
    }

    /**
     * Ours: batch-normalized tower trained as a classifier (AdamW, warmup + cosine, label smoothing,
     * crops and flips, normalized pixels), then the metric network trained on cached features.
     */
    public static Recipe defaultRecipe() {
        return new Recipe("default", 4, 0, 8, 2e-3f, 1e-3f, 128, "adamw", 0.05f, "cosine", 300, 0.1f,
                true, true, true, 0.5f, 60f, 1L);
    }

    /** The default recipe shrunk to minutes for the README's quick start (run it on a subset: --classes, --per-class). */
    public static Recipe quickRecipe() {
        return new Recipe("quick", 3, 0, 2, 2e-3f, 1e-3f, 128, "adamw", 0.05f, "cosine", 100, 0.1f,
                true, true, true, 0.5f, 8f, 1L);
    }

    public static Recipe named(String name) {
        return switch (name) {
            case "quick" -> quickRecipe();
            case "seed" -> seedRecipe();
            case "default" -> defaultRecipe();
            default -> throw new IllegalArgumentException("unknown recipe '" + name + "' (seed, default, quick)");
        };
    }

    public Recipe withLr(float v) { return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, v, metricLr, batch, optimizer, weightDecay, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, budgetMinutes, seed); }
    public Recipe withBatch(int v) { return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, lr, metricLr, v, optimizer, weightDecay, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, budgetMinutes, seed); }
    public Recipe withBudgetMinutes(float v) { return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, lr, metricLr, batch, optimizer, weightDecay, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, v, seed); }
    public Recipe withSeed(long v) { return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, lr, metricLr, batch, optimizer, weightDecay, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, budgetMinutes, v); }
    public Recipe withWeightDecay(float v) { return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, lr, metricLr, batch, optimizer, v, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, budgetMinutes, seed); }

    /** Overrides the length of whichever phase trains the tower (pair epochs for seed, classifier epochs for default). */
    public Recipe withEpochs(int v) {
        return classifierEpochs > 0
                ? new Recipe(name, v, pairEpochs, metricEpochs, lr, metricLr, batch, optimizer, weightDecay, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, budgetMinutes, seed)
                : new Recipe(name, classifierEpochs, v, metricEpochs, lr, metricLr, batch, optimizer, weightDecay, schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, pairsPerImage, budgetMinutes, seed);
    }

    public String toJson() { return new GsonBuilder().setPrettyPrinting().create().toJson(this); }

    public static Recipe fromJson(String json) { return new Gson().fromJson(json, Recipe.class); }
}
