package simil.models.beit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import simil.data.Normalization;
import simil.io.CheckpointException;
import simil.io.SafeTensors;
import simil.layers.LayerNorm;
import simil.layers.RelativePositionIndex;
import simil.layers.Parameter;
import simil.tensor.Backend;

/**
 * Reads a BEiT checkpoint in the Hugging Face transformers key layout (modeling_beit: BeitModel, or
 * BeitForMaskedImageModeling / BeitForImageClassification with their {@code beit.} prefix) into a
 * {@link Beit} pair model whose head and metric network are fresh.
 *
 * <ul>
 * <li>query/key/value weights are stacked into attn.qkv.weight; query.bias and value.bias become q_bias and
 *     v_bias (BEiT has no key bias); attention.output.dense → attn.proj; layernorm_before/after → norm1/2;
 *     intermediate.dense / output.dense → mlp.fc1 / mlp.fc2; lambda_1/2 → gamma_1/2 (gains of 1 when the
 *     checkpoint has no layer scale, which is the same function).</li>
 * <li>Relative position bias: each layer's table, or the shared encoder.relative_position_bias table copied
 *     into every layer (pt22k checkpoints); none at all is a zero table. The (2G′−1)² offset part is resized
 *     per head to the target grid as a (2G′−1)×(2G′−1) image with bilinear interpolation (PyTorch's
 *     F.interpolate, align_corners=False, as transformers resizes it); the 3 CLS rows are kept.</li>
 * <li>Final norm: the model's layernorm (use_mean_pooling false) or a masked-image-modeling checkpoint's
 *     top-level layernorm becomes the encoder's final norm; otherwise the encoder has none and the pooler's
 *     layernorm, which transformers applies to the mean of the patch tokens, becomes pool_norm.</li>
 * <li>Resolution: the patch size is the checkpoint's, the grid is imageSize / patch (a 224-pixel patch-16
 *     model imported at 64×64 has a 4×4 grid); the patch embedding itself is not resized.</li>
 * </ul>
 */
public final class HfBeitImport {
    private final SafeTensors.Contents weights;
    private final JsonObject hf;
    private final Path weightsFile;
    private final String prefix;

    private HfBeitImport(Path weightsFile, Path configFile) {
        this.weightsFile = weightsFile;
        this.weights = SafeTensors.read(weightsFile);
        try {
            this.hf = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(configFile + ": unreadable transformers config (" + e.getMessage() + ")");
        }
        this.prefix = weights.entries().keySet().stream().anyMatch(k -> k.startsWith("beit.")) ? "beit." : "";
    }

    /** BEiT's image processor default (BeitImageProcessor): mean and std 0.5 per channel, pixels in [-1, 1]. */
    public static final Normalization BEIT_NORMALIZATION = new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

    /** image_mean and image_std of a transformers preprocessor_config.json (BEiT's defaults where absent). */
    public static Normalization readNormalization(Path preprocessorFile) {
        try {
            JsonObject p = JsonParser.parseString(Files.readString(preprocessorFile)).getAsJsonObject();
            float[] mean = channels(p, "image_mean", BEIT_NORMALIZATION.mean()), std = channels(p, "image_std", BEIT_NORMALIZATION.std());
            return new Normalization(mean, std);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(preprocessorFile + ": unreadable preprocessor config (" + e.getMessage() + ")");
        }
    }

    private static float[] channels(JsonObject o, String key, float[] fallback) {
        if (!o.has(key)) return fallback;
        var array = o.getAsJsonArray(key);
        if (array.size() != 3) throw new IllegalArgumentException(key + " has " + array.size() + " values, not 3");
        float[] values = new float[3];
        for (int c = 0; c < 3; c++) values[c] = array.get(c).getAsFloat();
        return values;
    }

    /** The imported model for {@code imageSize}×{@code imageSize} inputs; the fresh head is seeded by {@code seed}. */
    public static Beit read(Backend backend, Path weightsFile, Path configFile, int imageSize, long seed) {
        return new HfBeitImport(weightsFile, configFile).build(backend, imageSize, seed);
    }

    private Beit build(Backend backend, int imageSize, long seed) {
        requireSupported();
        int dim = integer("hidden_size"), heads = integer("num_attention_heads"), patch = integer("patch_size");
        int intermediate = integer("intermediate_size");
        if (intermediate % dim != 0) unsupported("intermediate_size " + intermediate + " is not a multiple of hidden_size " + dim);
        if (imageSize % patch != 0) unsupported("image size " + imageSize + " is not a multiple of the checkpoint's patch size " + patch);
        float layerScale = (float) number("layer_scale_init_value", 0.1);
        boolean finalNorm = has(prefix + "layernorm.weight") || has("layernorm.weight");
        BeitConfig config = new BeitConfig(imageSize, patch, dim, integer("num_hidden_layers"), heads, intermediate / dim,
                layerScale > 0 ? layerScale : 1f, 0f, (float) number("layer_norm_eps", 1e-12), finalNorm,
                (int) number("vocab_size", 8192), 256, 1024, 0.3f, seed, false);
        Beit model = new Beit(backend, config);
        copyEncoder(model.encoder(), integer("image_size") / patch);
        if (!finalNorm && has(prefix + "pooler.layernorm.weight")) copyNorm(model.poolNorm(), prefix + "pooler.layernorm");
        return model;
    }

    private void requireSupported() {
        if (hf.has("model_type") && !hf.get("model_type").getAsString().equals("beit")) {
            unsupported("model_type '" + hf.get("model_type").getAsString() + "' (only beit)");
        }
        if (flag("use_absolute_position_embeddings")) unsupported("absolute position embeddings");
        String act = hf.has("hidden_act") ? hf.get("hidden_act").getAsString() : "gelu";
        if (!act.equals("gelu")) unsupported("hidden_act '" + act + "' (only gelu)");
        if ((int) number("num_channels", 3) != 3) unsupported("num_channels other than 3");
        if (flag("use_relative_position_bias") && flag("use_shared_relative_position_bias")) {
            unsupported("both per-layer and shared relative position bias");
        }
    }

    private void copyEncoder(BeitEncoder encoder, int trainedGrid) {
        String e = prefix + "embeddings.";
        copy(e + "patch_embeddings.projection.weight", encoder.patchEmbedding().proj().weight());
        copy(e + "patch_embeddings.projection.bias", encoder.patchEmbedding().proj().bias());
        copy(e + "cls_token", encoder.clsToken().token());
        if (has(e + "mask_token")) copy(e + "mask_token", encoder.maskTokens().maskToken());
        String shared = prefix + "encoder.relative_position_bias.relative_position_bias_table";
        boolean perLayer = flag("use_relative_position_bias"), isShared = flag("use_shared_relative_position_bias");
        for (int i = 0; i < encoder.blocks().size(); i++) {
            BeitBlock block = encoder.blocks().get(i);
            String l = prefix + "encoder.layer." + i + ".", a = l + "attention.attention.";
            int dim = encoder.config().dim();
            float[] qkv = new float[3 * dim * dim];
            String[] names = {"query", "key", "value"};
            for (int j = 0; j < 3; j++) {
                System.arraycopy(floats(a + names[j] + ".weight", dim, dim), 0, qkv, j * dim * dim, dim * dim);
            }
            write(block.attn().qkv().weight(), qkv);
            copy(a + "query.bias", block.attn().qBias());
            copy(a + "value.bias", block.attn().vBias());
            Parameter table = block.attn().biasTable();
            if (perLayer) {
                resizeInto(a + "relative_position_bias.relative_position_bias_table", trainedGrid, table);
            } else if (isShared) {
                resizeInto(shared, trainedGrid, table);
            } else {
                write(table, new float[table.size()]); // no relative position bias: a zero table adds nothing
            }
            copy(l + "attention.output.dense.weight", block.attn().proj().weight());
            copy(l + "attention.output.dense.bias", block.attn().proj().bias());
            copyNorm(block.norm1(), l + "layernorm_before");
            copyNorm(block.norm2(), l + "layernorm_after");
            copy(l + "intermediate.dense.weight", block.fc1().weight());
            copy(l + "intermediate.dense.bias", block.fc1().bias());
            copy(l + "output.dense.weight", block.fc2().weight());
            copy(l + "output.dense.bias", block.fc2().bias());
            copyGain(l + "lambda_1", block.gamma1().gamma());
            copyGain(l + "lambda_2", block.gamma2().gamma());
        }
        if (encoder.norm() != null) copyNorm(encoder.norm(), has(prefix + "layernorm.weight") ? prefix + "layernorm" : "layernorm");
    }

    private void copyGain(String key, Parameter gamma) {
        if (has(key)) copy(key, gamma);
        else if (number("layer_scale_init_value", 0.1) > 0) throw missing(key);
        else write(gamma, filled(gamma.size(), 1f));
    }

    private void copyNorm(LayerNorm norm, String key) {
        copy(key + ".weight", norm.weight());
        copy(key + ".bias", norm.bias());
    }

    /** Copies a tensor whose element count fits (transformers' [1, 1, D] tokens become our [D]). */
    private void copy(String key, Parameter target) {
        SafeTensors.Entry e = entry(key);
        if (e.isInt() || e.floats().length != target.size()) {
            throw new CheckpointException(weightsFile + ": tensor '" + key + "' has shape " + Arrays.toString(e.shape())
                    + ", expected " + Arrays.toString(target.shape()) + " (does config.json describe these weights?)");
        }
        write(target, e.floats());
    }

    private float[] floats(String key, int... shape) {
        SafeTensors.Entry e = entry(key);
        if (e.isInt() || !Arrays.equals(e.shape(), shape)) {
            throw new CheckpointException(weightsFile + ": tensor '" + key + "' has shape " + Arrays.toString(e.shape())
                    + ", expected " + Arrays.toString(shape) + " (does config.json describe these weights?)");
        }
        return e.floats();
    }

    /** The checkpoint's table for a trainedGrid-sided grid, resized to the target's grid. */
    private void resizeInto(String key, int trainedGrid, Parameter target) {
        int heads = target.shape()[1];
        float[] source = floats(key, RelativePositionIndex.tableSize(trainedGrid), heads);
        int targetGrid = (int) Math.round((Math.sqrt(target.shape()[0] - 3) + 1) / 2);
        write(target, RelativeBiasResize.resize(source, trainedGrid, targetGrid, heads));
    }

    private SafeTensors.Entry entry(String key) {
        SafeTensors.Entry e = weights.entries().get(key);
        if (e == null) throw missing(key);
        return e;
    }

    private CheckpointException missing(String key) {
        return new CheckpointException(weightsFile + ": tensor '" + key + "' missing (not a transformers BEiT checkpoint, or config.json does not match it)");
    }

    private void unsupported(String what) {
        throw new CheckpointException("unsupported BEiT checkpoint: " + what);
    }

    private boolean has(String key) { return weights.entries().containsKey(key); }

    private boolean flag(String key) { return hf.has(key) && hf.get(key).getAsBoolean(); }

    private double number(String key, double fallback) { return hf.has(key) ? hf.get(key).getAsDouble() : fallback; }

    /** A required integer field; transformers also writes image and patch sizes as [h, w] pairs, which must be square. */
    private int integer(String key) {
        JsonElement v = hf.get(key);
        if (v == null || v.isJsonNull()) throw new CheckpointException("transformers config lacks '" + key + "'");
        if (v.isJsonArray()) {
            int first = v.getAsJsonArray().get(0).getAsInt();
            for (JsonElement x : v.getAsJsonArray()) if (x.getAsInt() != first) unsupported(key + " " + v + " (only square)");
            return first;
        }
        return v.getAsInt();
    }

    private static void write(Parameter p, float[] values) { p.value().backend().write(p.value(), values); }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }
}
