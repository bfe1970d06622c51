package simil.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything that decides how a model is trained. {@link #seedRecipe()} is the reference study's protocol;
 * {@link #defaultRecipe()} is our recipe for the best AUC in a fixed CPU budget (see README, "Recipes").
 * Built only through {@link Builder}'s named setters; {@code recipe.json} spells every component by its name.
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
        float lr, float metricLr, int batch, Optimizer optimizer, float weightDecay,
        Schedule schedule, int warmupSteps, float labelSmoothing,
        boolean augment, boolean normalize, boolean batchNorm, boolean flipAverage, boolean symmetricScore,
        float pairsPerImage, float budgetMinutes, long seed) {

    /** The {@code simil train} option that sets a field, for error messages; the others are set with {@code --set}. */
    private static final Map<String, String> OPTIONS = Map.of(
            "classifierEpochs", "--epochs", "pairEpochs", "--epochs", "metricEpochs", "--metric-epochs", "lr", "--lr",
            "batch", "--batch", "weightDecay", "--weight-decay", "pairsPerImage", "--pairs-per-image",
            "budgetMinutes", "--budget-minutes", "seed", "--seed");

    private static final Gson GSON = new Gson();

    /** The record's components by name, in recipe.json's order. */
    private static final Map<String, RecordComponent> COMPONENTS = Arrays.stream(Recipe.class.getRecordComponents())
            .collect(Collectors.toMap(RecordComponent::getName, c -> c, (a, b) -> a, LinkedHashMap::new));

    /** The reference protocol: Adam, no schedule, batch 32 pairs, 5 epochs of balanced pairs, pixels in [0, 1]. */
    public static Recipe seedRecipe() {
        return builder("seed").pairEpochs(5).lr(1e-4f).metricLr(1e-4f).batch(32).optimizer(Optimizer.ADAM)
                .schedule(Schedule.CONSTANT).pairsPerImage(0.5f).seed(1).build();
    }

    /**
     * Ours: batch-normalized tower trained as a classifier for 9 epochs (AdamW, warmup + cosine, normalized
     * pixels; no crops and flips, which did not pay at full length and slow an epoch, and no label smoothing),
     * then the metric network trained on cached features; embeddings averaged over the image and its mirror,
     * pairs scored in both orders. README › Recipes has the measurements.
     */
    public static Recipe defaultRecipe() {
        return builder("default").classifierEpochs(9).metricEpochs(12).lr(2e-3f).metricLr(1e-3f).batch(128)
                .optimizer(Optimizer.ADAMW).weightDecay(0.05f).schedule(Schedule.COSINE).warmupSteps(300)
                .normalize(true).batchNorm(true).flipAverage(true).symmetricScore(true)
                .pairsPerImage(0.5f).budgetMinutes(60f).seed(1).build();
    }

    /** The default recipe shrunk to minutes for the README's quick start (run it on a subset: --classes, --per-class). */
    public static Recipe quickRecipe() {
        return defaultRecipe().toBuilder().name("quick").classifierEpochs(3).metricEpochs(2).warmupSteps(100)
                .budgetMinutes(8f).build();
    }

    /**
     * BEiT pair fine-tuning as in the paper and the reference study: AdamW (weight decay 0.05), lr 5e-5,
     * batch 64 pairs, warmup then cosine decay, end to end through the encoder; crops and flips; pixels
     * normalized as the encoder was pre-trained (see TrainingRun), else per channel.
     */
    public static Recipe beitRecipe() {
        return builder("beit").pairEpochs(3).lr(5e-5f).metricLr(5e-5f).batch(64).optimizer(Optimizer.ADAMW)
                .weightDecay(0.05f).schedule(Schedule.COSINE).warmupSteps(100).augment(true).normalize(true)
                .pairsPerImage(0.5f).seed(1).build();
    }

    /**
     * BEiT trained the way MatchNet's default is, for a CPU: the encoder (BEiT's cpu config, a convolutional stem; from
     * a masked-image-modeling checkpoint with {@code --init}, else from random weights) trained as a classifier of
     * single images, then the metric network on cached embeddings. AdamW, warmup then cosine decay, no augmentation
     * (it did not pay in short runs for MatchNet). A 70-minute budget, which leaves 20 of the 90-minute target for the
     * tokenizer and pre-training (README › Recipes).
     */
    public static Recipe beitCpuRecipe() {
        return builder("beit-cpu").classifierEpochs(12).metricEpochs(8).lr(1e-3f).metricLr(1e-3f).batch(128)
                .optimizer(Optimizer.ADAMW).weightDecay(0.05f).schedule(Schedule.COSINE).warmupSteps(500).normalize(true)
                .pairsPerImage(0.5f).budgetMinutes(70f).seed(1).build();
    }

    /** The recipes by name, as {@code --recipe} takes them. */
    public static final java.util.List<String> NAMES = java.util.List.of("seed", "default", "quick", "beit", "beit-cpu");

    public static Recipe named(String name) {
        return switch (name) {
            case "beit-cpu" -> beitCpuRecipe();
            case "quick" -> quickRecipe();
            case "seed" -> seedRecipe();
            case "default" -> defaultRecipe();
            case "beit" -> beitRecipe();
            default -> throw new IllegalArgumentException("unknown recipe '" + name + "' (" + String.join(", ", NAMES) + ")");
        };
    }

    public Recipe withLr(float v) { return toBuilder().lr(v).build(); }
    public Recipe withBatch(int v) { return toBuilder().batch(v).build(); }
    public Recipe withBudgetMinutes(float v) { return toBuilder().budgetMinutes(v).build(); }
    public Recipe withSeed(long v) { return toBuilder().seed(v).build(); }
    public Recipe withMetricEpochs(int v) { return toBuilder().metricEpochs(v).build(); }
    public Recipe withWeightDecay(float v) { return toBuilder().weightDecay(v).build(); }
    public Recipe withPairsPerImage(float v) { return toBuilder().pairsPerImage(v).build(); }

    /** Overrides the length of whichever phase trains the tower (pair epochs for seed, classifier epochs for default). */
    public Recipe withEpochs(int v) {
        return classifierEpochs > 0 ? toBuilder().classifierEpochs(v).build() : toBuilder().pairEpochs(v).build();
    }

    /** This recipe with every phase's epochs set (a time budget's plan: see BudgetPlan). */
    public Recipe withPhaseEpochs(int classifier, int pairs, int metric) {
        return toBuilder().classifierEpochs(classifier).pairEpochs(pairs).metricEpochs(metric).build();
    }

    /**
     * This recipe with fields set by name, as recipe.json spells them ({@code batchNorm=false},
     * {@code augment=true}): every choice can be switched for an ablation without a flag of its own. Each
     * value is typed and range-checked as its field is ({@link #validate()}), the error naming {@code --set}.
     * The name stays: it says which recipe was changed.
     */
    public Recipe withOverrides(Map<String, String> overrides) {
        JsonObject json = GSON.toJsonTree(this).getAsJsonObject();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            if (key.equals("name") || !json.has(key)) {
                throw new IllegalArgumentException("--set: no recipe field '" + key + "' (fields: " + settableFields() + ")");
            }
            try {
                json.add(key, typed(key, e.getValue().trim()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("--set " + ex.getMessage());
            }
        }
        return GSON.fromJson(json, Recipe.class).validate(f -> overrides.containsKey(f) ? "--set " + f + "=" : optionPrefix(f));
    }

    /**
     * Throws, with one line naming the option and its valid range, when a field cannot train: epochs below 0,
     * a learning rate not above 0, a batch below 1, label smoothing outside [0, 1), ... Returns this recipe.
     */
    public Recipe validate() {
        return validate(Recipe::optionPrefix);
    }

    /** {@link #validate()}, and a batch that fits in the {@code trainingImages} (else an epoch has no step). */
    public Recipe validateFor(int trainingImages) {
        validate();
        if (batch > trainingImages) {
            throw new IllegalArgumentException(optionPrefix("batch") + batch + ": must be at most " + trainingImages
                    + ", the number of training images");
        }
        return this;
    }

    /** {@code prefix.apply(field) + value} is how the user spelled the value: {@code --lr -1.0}, {@code --set lr=-1.0}. */
    private Recipe validate(Function<String, String> prefix) {
        require(classifierEpochs >= 0, "classifierEpochs", classifierEpochs, "must be 0 or more", prefix);
        require(pairEpochs >= 0, "pairEpochs", pairEpochs, "must be 0 or more", prefix);
        require(metricEpochs >= 0, "metricEpochs", metricEpochs, "must be 0 or more", prefix);
        require(lr > 0 && Float.isFinite(lr), "lr", lr, "must be more than 0", prefix);
        require(metricLr > 0 && Float.isFinite(metricLr), "metricLr", metricLr, "must be more than 0", prefix);
        require(batch >= 1, "batch", batch, "must be 1 or more", prefix);
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay", weightDecay, "must be 0 or more", prefix);
        require(warmupSteps >= 0, "warmupSteps", warmupSteps, "must be 0 or more", prefix);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", labelSmoothing, "must be in [0, 1)", prefix);
        require(pairsPerImage > 0 && Float.isFinite(pairsPerImage), "pairsPerImage", pairsPerImage, "must be more than 0", prefix);
        require(budgetMinutes >= 0 && Float.isFinite(budgetMinutes), "budgetMinutes", budgetMinutes,
                "must be 0 (no budget) or more", prefix);
        return this;
    }

    private static void require(boolean ok, String field, Object value, String range, Function<String, String> prefix) {
        if (!ok) throw new IllegalArgumentException(prefix.apply(field) + value + ": " + range);
    }

    private static String optionPrefix(String field) {
        String option = OPTIONS.get(field);
        return option != null ? option + " " : "--set " + field + "=";
    }

    /** {@code value} as the type of the field {@code key}; the message, if not, starts with the key. */
    private static JsonElement typed(String key, String value) {
        Class<?> type = COMPONENTS.get(key).getType();
        if (type == boolean.class) {
            if (!value.equals("true") && !value.equals("false")) throw new IllegalArgumentException(key + " takes true or false, not '" + value + "'");
            return new JsonPrimitive(Boolean.parseBoolean(value));
        }
        if (type.isEnum()) {
            String spellings = Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
            if (!Arrays.stream(type.getEnumConstants()).map(Object::toString).toList().contains(value)) {
                throw new IllegalArgumentException(key + " takes one of " + spellings + ", not '" + value + "'");
            }
            return new JsonPrimitive(value);
        }
        if (type == String.class) return new JsonPrimitive(value);
        boolean whole = type == int.class || type == long.class;
        try {
            double number = Double.parseDouble(value);
            if (whole && (number != Math.rint(number) || Math.abs(number) > (type == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE))) {
                throw new NumberFormatException();
            }
            return whole ? new JsonPrimitive((long) number) : new JsonPrimitive(number);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(key + " takes " + (whole ? "a whole number" : "a number") + ", not '" + value + "'");
        }
    }

    private static String settableFields() {
        return COMPONENTS.keySet().stream().filter(f -> !f.equals("name")).sorted().collect(Collectors.joining(", "));
    }

    public String toJson() { return new GsonBuilder().setPrettyPrinting().create().toJson(this); }

    /**
     * The recipe a recipe.json holds: every field present, none unknown, each of its type (an optimizer and
     * a schedule among their spellings). Not range-checked: {@link #read} is, for a file the user names.
     */
    public static Recipe fromJson(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a recipe (a JSON object of recipe fields)");
        }
        for (String key : o.keySet()) {
            if (!COMPONENTS.containsKey(key)) throw new IllegalArgumentException("no recipe field '" + key + "' (fields: name, " + settableFields() + ")");
        }
        JsonObject typed = new JsonObject();
        for (String key : COMPONENTS.keySet()) {
            JsonElement value = o.get(key);
            if (value == null) throw new IllegalArgumentException("the recipe has no field '" + key + "'");
            if (!value.isJsonPrimitive()) throw new IllegalArgumentException(key + " takes a single value, not " + value);
            typed.add(key, typed(key, value.getAsString()));
        }
        return GSON.fromJson(typed, Recipe.class);
    }

    /** A recipe.json (a run's, or one written by hand) given as {@code --recipe FILE}, range-checked. */
    public static Recipe read(Path file) {
        String prefix = "--recipe " + file + ": ";
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(prefix + "cannot read it (" + e.getMessage() + ")");
        }
        Recipe recipe;
        try {
            recipe = fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage());
        }
        return recipe.validate(field -> prefix + field + " ");
    }

    public static Builder builder(String name) { return new Builder().name(name); }

    /** A builder holding this recipe's values, to change some by name. */
    public Builder toBuilder() {
        return new Builder().name(name).classifierEpochs(classifierEpochs).pairEpochs(pairEpochs).metricEpochs(metricEpochs)
                .lr(lr).metricLr(metricLr).batch(batch).optimizer(optimizer).weightDecay(weightDecay).schedule(schedule)
                .warmupSteps(warmupSteps).labelSmoothing(labelSmoothing).augment(augment).normalize(normalize)
                .batchNorm(batchNorm).flipAverage(flipAverage).symmetricScore(symmetricScore).pairsPerImage(pairsPerImage)
                .budgetMinutes(budgetMinutes).seed(seed);
    }

    /**
     * Named setters for every component; what is not set is off: no epochs of a phase, no weight decay, warmup or
     * label smoothing, every boolean false, no budget. The canonical constructor is spelled once, in {@link #build()}.
     */
    public static final class Builder {
        private String name;
        private int classifierEpochs, pairEpochs, metricEpochs, batch, warmupSteps;
        private float lr, metricLr, weightDecay, labelSmoothing, pairsPerImage, budgetMinutes;
        private Optimizer optimizer;
        private Schedule schedule;
        private boolean augment, normalize, batchNorm, flipAverage, symmetricScore;
        private long seed;

        private Builder() {}

        public Builder name(String v) { name = v; return this; }
        public Builder classifierEpochs(int v) { classifierEpochs = v; return this; }
        public Builder pairEpochs(int v) { pairEpochs = v; return this; }
        public Builder metricEpochs(int v) { metricEpochs = v; return this; }
        public Builder lr(float v) { lr = v; return this; }
        public Builder metricLr(float v) { metricLr = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder optimizer(Optimizer v) { optimizer = v; return this; }
        public Builder weightDecay(float v) { weightDecay = v; return this; }
        public Builder schedule(Schedule v) { schedule = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder labelSmoothing(float v) { labelSmoothing = v; return this; }
        public Builder augment(boolean v) { augment = v; return this; }
        public Builder normalize(boolean v) { normalize = v; return this; }
        public Builder batchNorm(boolean v) { batchNorm = v; return this; }
        public Builder flipAverage(boolean v) { flipAverage = v; return this; }
        public Builder symmetricScore(boolean v) { symmetricScore = v; return this; }
        public Builder pairsPerImage(float v) { pairsPerImage = v; return this; }
        public Builder budgetMinutes(float v) { budgetMinutes = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        /** The recipe; an optimizer and a schedule are required (training without one is not a recipe). */
        public Recipe build() {
            if (optimizer == null || schedule == null) throw new IllegalStateException("recipe " + name + " needs an optimizer and a schedule");
            return new Recipe(name, classifierEpochs, pairEpochs, metricEpochs, lr, metricLr, batch, optimizer, weightDecay,
                    schedule, warmupSteps, labelSmoothing, augment, normalize, batchNorm, flipAverage, symmetricScore,
                    pairsPerImage, budgetMinutes, seed);
        }
    }
}
