package simil.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

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

    /** These settings for {@code planned} epochs (a time budget's plan). */
    PretrainSettings withEpochs(int planned) {
        return new PretrainSettings(config, tokenizer, planned, batch, lr, weightDecay, warmupSteps, imagesPerEpoch, maskRatio,
                augment, budgetMinutes, seed);
    }

    public String toJson() { return new GsonBuilder().setPrettyPrinting().create().toJson(this); }

    public static PretrainSettings fromJson(String json) { return new Gson().fromJson(json, PretrainSettings.class); }
}
