package simil.tokenizer;

import com.google.gson.JsonObject;
import java.util.Map;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Discrete visual tokens for BEiT's masked image modeling: one token in [0, vocabulary()) per 8×8 patch.
 * A tokenizer reads normalized patches ({@link PatchGrid}) and maps each to a code and a code back to a
 * normalized patch (its reconstruction); {@link TokenizerFiles} saves and loads one. Codes are int32 tensors on
 * the tokenizer's backend: tokenizing a batch copies nothing to the host.
 */
public interface Tokenizer {
    /** "kmeans" or "vqvae": the kind config.json names. */
    String kind();

    int vocabulary();

    Backend backend();

    /** Codes int32 [n] of normalized patches [n, 192]. */
    void encode(Tensor patches, Tensor codes);

    /** Normalized patches [n, 192] that codes int32 [n] stand for. */
    void decode(Tensor codes, Tensor patches);

    /** What config.json holds besides the kind and vocabulary. */
    JsonObject config();

    /** Every tensor model.safetensors holds, by name. */
    Map<String, Tensor> stateTensors();

    /** Tokens int32 [B, 64] of images [B, 3, 64, 64] with pixels in [0, 1]. */
    default void tokenize(Tensor images, Tensor tokens) {
        int b = images.dim(0), rows = b * PatchGrid.PATCHES;
        images.requireShape("images", b, PatchGrid.CHANNELS, PatchGrid.SIDE, PatchGrid.SIDE);
        tokens.requireShape("tokens", b, PatchGrid.PATCHES);
        try (Tensor patches = backend().zeros(rows, PatchGrid.DIM)) {
            PatchGrid.normalizedPatches(images, patches, null, null);
            encode(patches, tokens.reshape(rows));
        }
    }
}
