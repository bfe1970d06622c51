package simil.models.beit;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * BEiT's shape and the pair head on top of it.
 *
 * <p>Layer norm epsilon: 1e-6 by default, as timm's and the original BEiT code's
 * {@code partial(nn.LayerNorm, eps=1e-6)}; a checkpoint imported from transformers keeps its
 * {@code layer_norm_eps} (1e-12 in Microsoft's configs), so it computes exactly what it was trained with.
 *
 * @param imageSize side of the square input (64)
 * @param patchSize side of a patch; the grid is imageSize / patchSize (8 or 16 for 64×64 inputs)
 * @param mlpRatio MLP width over dim (4)
 * @param layerScaleInit starting value of the per-channel residual gains gamma_1, gamma_2 (0.1)
 * @param dropPathRate stochastic depth of the last block; block i drops its branches with rate·i/(depth−1)
 * @param finalNorm whether the encoder ends with a layer norm over every token (false only for imported
 *                  transformers checkpoints with use_mean_pooling, whose norm follows the pooling instead)
 * @param vocabSize visual-token vocabulary of the masked-image-modeling head (8192 as in the paper)
 * @param bottleneck embedding size after the pooled features' projection (256)
 * @param metricHidden width of the metric network (1024)
 * @param dropout dropout of the projection and the metric network (0.3)
 * @param seed seed of the initialization, dropout and stochastic depth
 * @param convStem whether patches are embedded by a convolutional stem (log2(patch) 3×3 stride-2 convolutions with batch
 *                 norm and ReLU, widths dim/2^(L−1) … dim, then a 1×1 projection; Xiao et al. 2021, "Early convolutions
 *                 help transformers see better") instead of one patch-sized convolution: locality a small ViT on 64×64
 *                 images otherwise learns slowly. Each token then sees its patch and a few pixels of its neighbours.
 */
public record BeitConfig(int imageSize, int patchSize, int dim, int depth, int heads, int mlpRatio,
                         float layerScaleInit, float dropPathRate, float layerNormEps, boolean finalNorm,
                         int vocabSize, int bottleneck, int metricHidden, float dropout, long seed, boolean convStem) {
    public static final String ARCHITECTURE = "beit";

    public BeitConfig {
        if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of patch size " + patchSize);
        }
        if (dim <= 0 || heads <= 0 || dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not divisible by " + heads + " heads");
        if (depth <= 0 || mlpRatio <= 0) throw new IllegalArgumentException("depth and mlp ratio must be positive");
        if (!(dropPathRate >= 0f && dropPathRate < 1f)) throw new IllegalArgumentException("drop path rate " + dropPathRate + " not in [0, 1)");
        if (convStem && (patchSize < 2 || Integer.bitCount(patchSize) != 1 || dim % (patchSize / 2) != 0)) {
            throw new IllegalArgumentException("a convolutional stem needs a patch size that is a power of 2 and a dim divisible by half of it");
        }
    }

    /** The names {@link #preset} takes. */
    public static final List<String> PRESETS = List.of("tiny", "small", "base", "cpu");

    /**
     * tiny (192, 12, 3), small (384, 12, 6) or base (768, 12, 12), for 64×64 inputs in 8×8 patches; cpu, the
     * encoder of the {@code beit-cpu} recipe: a convolutional stem and (128, 6, 4), sized for
     * training on two cores (README › Recipes).
     */
    public static BeitConfig preset(String name, long seed) {
        return switch (name) {
            case "tiny" -> of(192, 12, 3, false, seed);
            case "small" -> of(384, 12, 6, false, seed);
            case "base" -> of(768, 12, 12, false, seed);
            case "cpu" -> of(CPU_DIM, CPU_DEPTH, CPU_HEADS, true, seed);
            default -> throw new IllegalArgumentException("unknown BEiT config '" + name + "' (" + String.join(", ", PRESETS) + ")");
        };
    }

    private static final int CPU_DIM = 128, CPU_DEPTH = 6, CPU_HEADS = 4;

    private static BeitConfig of(int dim, int depth, int heads, boolean convStem, long seed) {
        return new BeitConfig(64, 8, dim, depth, heads, 4, 0.1f, 0f, 1e-6f, true, 8192, 256, 1024, 0.3f, seed, convStem);
    }

    /** Side of the patch grid. */
    public int grid() { return imageSize / patchSize; }

    /** Patch tokens per image (without CLS). */
    public int patches() { return grid() * grid(); }

    public int mlpHidden() { return dim * mlpRatio; }

    /** Stride-2 convolutions of the convolutional stem (0 without one). */
    public int stemConvolutions() { return convStem ? Integer.numberOfTrailingZeros(patchSize) : 0; }

    /** Output channels of stem convolution {@code i} (from 0): doubling up to dim at the last. */
    public int stemWidth(int i) { return dim >> (stemConvolutions() - 1 - i); }

    public BeitConfig withSeed(long v) { return new BeitConfig(imageSize, patchSize, dim, depth, heads, mlpRatio, layerScaleInit, dropPathRate, layerNormEps, finalNorm, vocabSize, bottleneck, metricHidden, dropout, v, convStem); }
    public BeitConfig withVocabSize(int v) { return new BeitConfig(imageSize, patchSize, dim, depth, heads, mlpRatio, layerScaleInit, dropPathRate, layerNormEps, finalNorm, v, bottleneck, metricHidden, dropout, seed, convStem); }
    public BeitConfig withDropPathRate(float v) { return new BeitConfig(imageSize, patchSize, dim, depth, heads, mlpRatio, layerScaleInit, v, layerNormEps, finalNorm, vocabSize, bottleneck, metricHidden, dropout, seed, convStem); }

    /** Whether {@code other}'s encoder weights fit this encoder (same tensor shapes and meaning). */
    public boolean sameEncoder(BeitConfig other) {
        return imageSize == other.imageSize && patchSize == other.patchSize && dim == other.dim && depth == other.depth
                && heads == other.heads && mlpRatio == other.mlpRatio && finalNorm == other.finalNorm
                && convStem == other.convStem;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("architecture", ARCHITECTURE);
        o.addProperty("image_size", imageSize);
        o.addProperty("patch_size", patchSize);
        o.addProperty("dim", dim);
        o.addProperty("depth", depth);
        o.addProperty("heads", heads);
        o.addProperty("mlp_ratio", mlpRatio);
        o.addProperty("layer_scale_init", layerScaleInit);
        o.addProperty("drop_path_rate", dropPathRate);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("final_norm", finalNorm);
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("bottleneck", bottleneck);
        o.addProperty("metric_hidden", metricHidden);
        o.addProperty("dropout", dropout);
        o.addProperty("seed", seed);
        o.addProperty("conv_stem", convStem);
        return o;
    }

    public static BeitConfig fromJson(JsonObject o) {
        return new BeitConfig(o.get("image_size").getAsInt(), o.get("patch_size").getAsInt(), o.get("dim").getAsInt(),
                o.get("depth").getAsInt(), o.get("heads").getAsInt(), o.get("mlp_ratio").getAsInt(),
                o.get("layer_scale_init").getAsFloat(), o.get("drop_path_rate").getAsFloat(),
                o.get("layer_norm_eps").getAsFloat(), o.get("final_norm").getAsBoolean(), o.get("vocab_size").getAsInt(),
                o.get("bottleneck").getAsInt(), o.get("metric_hidden").getAsInt(), o.get("dropout").getAsFloat(),
                o.get("seed").getAsLong(), o.has("conv_stem") && o.get("conv_stem").getAsBoolean());
    }
}
