package simil.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Everything that decides how a model is trained. {@link #seedRecipe()} is the reference study's protocol;
 * {@link #defaultRecipe()} is our recipe for the best AUC in a fixed CPU budget (see README, "Recipes").
 *
 * @param classifierEpochs epochs of 200-way classification of single images through the tower (0: none)
 * @param pairEpochs epochs of end-to-end pair training with binary cross-entropy (the reference protocol)
 * @param metricEpochs epochs of metric-network training on cached tower features (the tower frozen)
 * @param flipAverage a MatchNet built for this recipe embeds an image, outside training, as the mean of its
 *     tower's features and its mirror image's (see MatchNetConfig)
 * @param symmetricScore a MatchNet built for this recipe scores a pair, outside training, by the mean of its
 *     metric network's logits in both orders (see MetricNetwork)
 * @param budgetMinutes wall-time budget that plans the phases' epochs before the first one (see BudgetPlan); 0: none
 */
public record Recipe(
        String name,
        int classifierEpochs, int pairEpochs, int metricEpochs,
        float lr, float metricLr, int batch, String optimizer, float weightDecay,
        String schedule, int warmupSteps, float labelSmoothing,
        boolean augment, boolean normalize, boolean batchNorm, boolean flipAverage, boolean symmetricScore,
        float pairsPerImage, float budgetMinutes, long seed) {

    /** The reference protocol: Adam, no schedule, batch 32 pairs, 5 epochs of balanced pairs, pixels in [0, 1]. */
    public static Recipe seedRecipe() {
        return new Recipe("seed", 0, 5, 0, 1e-4f, 1e-4f, 32, "adam", 0f, "constant", 0, 0f,
                false, false, false, false, false, 0.5f, 0f, 1L);
    }

    /**
     * Ours: batch-normalized tower trained as a classifier for 9 epochs (AdamW, warmup + cosine, normalized
     * pixels; no crops and flips, which did not pay at full length and slow an epoch, and no label smoothing),
     * then the metric network trained on cached features; embeddings averaged over the image and its mirror,
     * pairs scored in both orders. README › Recipes has the measurements.
     */
    public static Recipe defaultRecipe() {
        return new Recipe("default", 9, 0, 12, 2e-3f, 1e-3f, 128, "adamw", 0.05f, "cosine", 300, 0f,
                false, true, true, true, true, 0.5f, 60f, 1L);
    }

    /** The default recipe shrunk to minutes for the README's quick start (run it on a subset: --classes, --per-class). */
    public static Recipe quickRecipe() {
        return defaultRecipe().copy(c -> {
            c.name = "quick";
            c.classifierEpochs = 3;
            c.metricEpochs = 2;
            c.warmupSteps = 100;
            c.budgetMinutes = 8f;
        });
    }

    /**
     * BEiT pair fine-tuning as in the paper and the reference study: AdamW (weight decay 0.05), lr 5e-5,
     * batch 64 pairs, warmup then cosine decay, end to end through the encoder; crops and flips; pixels
     * normalized as the encoder was pre-trained (see TrainingRun), else per channel.
     */
    public static Recipe beitRecipe() {
        return new Recipe("beit", 0, 3, 0, 5e-5f, 5e-5f, 64, "adamw", 0.05f, "cosine", 100, 0f,
                true, true, false, false, false, 0.5f, 0f, 1L);
    }

    public static Recipe named(String name) {
        return switch (name) {
            case "quick" -> quickRecipe();
            case "seed" -> seedRecipe();
            case "default" -> defaultRecipe();
            case "beit" -> beitRecipe();
            default -> throw new IllegalArgumentException("unknown recipe '" + name + "' (seed, default, quick, beit)");
        };
    }

    public Recipe withLr(float v) { return copy(c -> c.lr = v); }
    public Recipe withBatch(int v) { return copy(c -> c.batch = v); }
    public Recipe withBudgetMinutes(float v) {
        if (!(v >= 0)) throw new IllegalArgumentException("--budget-minutes must be 0 (no budget) or more, got " + v);
        return copy(c -> c.budgetMinutes = v);
    }
    public Recipe withSeed(long v) { return copy(c -> c.seed = v); }
    public Recipe withMetricEpochs(int v) {
        if (v < 0) throw new IllegalArgumentException("--metric-epochs must be 0 or more, got " + v);
        return copy(c -> c.metricEpochs = v);
    }
    public Recipe withWeightDecay(float v) { return copy(c -> c.weightDecay = v); }
    public Recipe withPairsPerImage(float v) {
        if (!(v > 0)) throw new IllegalArgumentException("--pairs-per-image must be positive, got " + v);
        return copy(c -> c.pairsPerImage = v);
    }

    /**
     * This recipe with fields set by name, as recipe.json spells them ({@code batchNorm=false},
     * {@code augment=true}): every choice can be switched for an ablation without a flag of its own.
     * The name stays: it says which recipe was changed.
     */
    public Recipe withOverrides(Map<String, String> overrides) {
        JsonObject json = new Gson().toJsonTree(this).getAsJsonObject();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey(), value = e.getValue().trim();
            if (key.equals("name") || !json.has(key)) {
                TreeSet<String> fields = new TreeSet<>(json.keySet());
                fields.remove("name");
                throw new IllegalArgumentException("--set: no recipe field '" + key + "' (fields: " + String.join(", ", fields) + ")");
            }
            json.add(key, typed(key, json.get(key).getAsJsonPrimitive(), value));
        }
        return new Gson().fromJson(json, Recipe.class);
    }

    /** {@code value} as the type of the field's current value. */
    private static JsonElement typed(String key, JsonPrimitive current, String value) {
        if (current.isBoolean()) {
            if (!value.equals("true") && !value.equals("false")) throw new IllegalArgumentException("--set " + key + " takes true or false, not '" + value + "'");
            return new JsonPrimitive(Boolean.parseBoolean(value));
        }
        if (current.isNumber()) {
            // Gson writes float fields with a decimal point (60.0) and int and long fields without (7).
            boolean whole = current.getAsString().matches("-?\\d+");
            try {
                double number = Double.parseDouble(value);
                if (whole && number != Math.rint(number)) throw new NumberFormatException();
                return whole ? new JsonPrimitive((long) number) : new JsonPrimitive(number);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--set " + key + " takes " + (whole ? "a whole number" : "a number") + ", not '" + value + "'");
            }
        }
        return new JsonPrimitive(value);
    }

    /** Overrides the length of whichever phase trains the tower (pair epochs for seed, classifier epochs for default). */
    public Recipe withEpochs(int v) {
        return classifierEpochs > 0 ? copy(c -> c.classifierEpochs = v) : copy(c -> c.pairEpochs = v);
    }

    /** This recipe with every phase's epochs set (a time budget's plan: see BudgetPlan). */
    public Recipe withPhaseEpochs(int classifier, int pairs, int metric) {
        return copy(c -> {
            c.classifierEpochs = classifier;
            c.pairEpochs = pairs;
            c.metricEpochs = metric;
        });
    }

    /** This recipe with one change: the canonical constructor is spelled once, in {@link Copy#build()}. */
    private Recipe copy(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** A mutable copy of every component, for {@link #copy}. */
    private static final class Copy {
        String name, optimizer, schedule;
        int classifierEpochs, pairEpochs, metricEpochs, batch, warmupSteps;
        float lr, metricLr, weightDecay, labelSmoothing, pairsPerImage, budgetMinutes;
        boolean augment, normalize, batchNorm, flipAverage, symmetricScore;
        long seed;

        Copy(Recipe r) {
            name = r.name; classifierEpochs = r.classifierEpochs; pairEpochs = r.pairEpochs; metricEpochs = r.metricEpochs;
            lr = r.lr; metricLr = r.metricLr; batch = r.batch; optimizer = r.optimizer; weightDecay = r.weightDecay;
            schedule = r.schedule; warmupSteps = r.warmupSteps; labelSmoothing = r.labelSmoothing; augment = r.augment;
            normalize = r.normalize; batchNorm = r.batchNorm; flipAverage = r.flipAverage;
            symmetricScore = r.symmetricScore; pairsPerImage = r.pairsPerImage;
            budgetMinutes = r.budgetMinutes; seed = r.seed;
        }

        Recipe build() {
            return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, lr, metricLr, batch, optimizer, weightDecay,
                    schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, flipAverage, symmetricScore, pairsPerImage,
                    budgetMinutes, seed);
        }
    }

    public String toJson() { return new GsonBuilder().setPrettyPrinting().create().toJson(this); }

    public static Recipe fromJson(String json) { return new Gson().fromJson(json, Recipe.class); }
}
