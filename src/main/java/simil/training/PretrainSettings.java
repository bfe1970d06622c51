package simil.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import simil.models.beit.BeitConfig;

/**
 * Everything that decides a masked-image-modeling run (written as pretrain.json; a resume must match it).
 * BEiT's recipe: AdamW (β2 = 0.999, weight decay 0.05), linear warmup then cosine decay, 40% blockwise masking.
 *
 * @param config         encoder preset (tiny, small, base)
 * @param tokenizer      the tokenizer directory, as given
 * @param imagesPerEpoch training images per epoch (a seeded sample of the train split; its size when 0), so that
 *                       checkpoints and the time budget come at a useful pace on a CPU
 * @param warmupSteps    linear warmup steps before the cosine decay
 * @param budgetMinutes  wall-time budget that plans the epochs before the first one (see BudgetPlan); 0: none
 */
public record PretrainSettings(String config, String tokenizer, int epochs, int batch, float lr, float weightDecay,
                               int warmupSteps, int imagesPerEpoch, double maskRatio, boolean augment,
                               float budgetMinutes, long seed) {
    /** BEiT's peak learning rate, 1.5e-3 per 256 images, scaled to the batch. */
    public static float scaledLr(int batch) {
        return 1.5e-3f * batch / 256;
    }

    /**
     * Throws, with one line naming the {@code simil pretrain} option and its valid range, when a setting cannot
     * train: an unknown encoder size, epochs or steps below 0, a batch below 1, a learning rate not above 0, ...
     */
    public PretrainSettings validate() {
        require(BeitConfig.PRESETS.contains(config), "--config " + config, "must be one of " + String.join(", ", BeitConfig.PRESETS));
        require(epochs >= 0, "--epochs " + epochs, "must be 0 or more");
        require(batch >= 1, "--batch " + batch, "must be 1 or more");
        require(lr > 0 && Float.isFinite(lr), "--lr " + lr, "must be more than 0");
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "--weight-decay " + weightDecay, "must be 0 or more");
        require(warmupSteps >= 0, "--warmup-steps " + warmupSteps, "must be 0 or more");
        require(imagesPerEpoch >= 0, "--images-per-epoch " + imagesPerEpoch, "must be 0 (the whole train split) or more");
        require(budgetMinutes >= 0 && Float.isFinite(budgetMinutes), "--budget-minutes " + budgetMinutes, "must be 0 (no budget) or more");
        return this;
    }

    /** {@link #validate()}, and a batch that fits in an epoch's images of the {@code trainingImages}. */
    public PretrainSettings validateFor(int trainingImages) {
        validate();
        int perEpoch = imagesPerEpoch > 0 ? Math.min(imagesPerEpoch, trainingImages) : trainingImages;
        require(batch <= perEpoch, "--batch " + batch, "must be at most " + perEpoch + ", the training images of an epoch");
        return this;
    }

    private static void require(boolean ok, String given, String range) {
        if (!ok) throw new IllegalArgumentException(given + ": " + range);
    }

    /** These settings for {@code planned} epochs (a time budget's plan). */
    PretrainSettings withEpochs(int planned) {
        return new PretrainSettings(config, tokenizer, planned, batch, lr, weightDecay, warmupSteps, imagesPerEpoch, maskRatio,
                augment, budgetMinutes, seed);
    }

    public String toJson() { return new GsonBuilder().setPrettyPrinting().create().toJson(this); }

    public static PretrainSettings fromJson(String json) { return new Gson().fromJson(json, PretrainSettings.class); }
}
