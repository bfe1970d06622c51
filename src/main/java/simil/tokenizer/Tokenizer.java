package simil.tokenizer;

import com.google.gson.JsonObject;
import java.util.Map;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Discrete visual tokens for BEiT's masked image modeling: one token in [0, vocabulary()) per 8×8 patch.
 * A tokenizer reads normalized patches ({@link PatchGrid}) and maps each to a code and a code back to a
 * normalized patch (its reconstruction); {@link TokenizerFiles} saves and loads one.
 */
public interface Tokenizer {
    /** "kmeans" or "vqvae": the kind config.json names. */
    String kind();

    int vocabulary();

    Backend backend();

    /** Codes [n] of normalized patches [n, 192]. */
    void encode(Tensor patches, int[] codes);

    /** Normalized patches [n, 192] that codes [n] stand for. */
    void decode(int[] codes, Tensor patches);

    /** What config.json holds besides the kind and vocabulary. */
    JsonObject config();

    /** Every tensor model.safetensors holds, by name. */
    Map<String, Tensor> stateTensors();

    /** Tokens int32 [B, 64] of images [B, 3, 64, 64] with pixels in [0, 1]. */
    default void tokenize(Tensor images, Tensor tokens) {
        int b = images.dim(0);
        images.requireShape("images", b, PatchGrid.CHANNELS, PatchGrid.SIDE, PatchGrid.SIDE);
        tokens.requireShape("tokens", b, PatchGrid.PATCHES);
        int rows = b * PatchGrid.PATCHES;
        float[] patches = new float[rows * PatchGrid.DIM];
        PatchGrid.extract(backend().toArray(images), b, patches);
        PatchGrid.normalize(patches, rows, new float[rows], new float[rows]);
        int[] codes = new int[rows];
        encode(backend().fromArray(patches, rows, PatchGrid.DIM), codes);
        backend().writeInts(tokens, codes);
    }
}
