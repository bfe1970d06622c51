package simil.models.beit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import simil.layers.ClassToken;
import simil.layers.LayerNorm;
import simil.layers.MaskTokens;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * BEiT's encoder (Bao et al. 2021): patch embedding, optional mask-token replacement of masked patches
 * (masked image modeling), a CLS token in front, {@code depth} {@link BeitBlock}s with relative position
 * bias, and a final layer norm. The patch embedding is BEiT's patch-sized convolution or a convolutional stem
 * ({@link BeitConfig#convStem}). Images [B, 3, S, S] → tokens [B, 1 + G², D], CLS first.
 *
 * <p>Parameter names are timm's BEiT names under {@value #PREFIX}: encoder.patch_embed.proj.weight,
 * encoder.cls_token, encoder.mask_token, encoder.blocks.i.…, encoder.norm.weight. A pre-training
 * checkpoint that stores its encoder under these names loads into a {@link Beit} pair model with
 * {@link Beit#loadEncoder}.
 */
public final class BeitEncoder {
    /** Prefix of every encoder parameter name. */
    public static final String PREFIX = "encoder.";

    private final BeitConfig config;
    private final PatchEmbedding patchEmbed;
    private final MaskTokens maskTokens;
    private final ClassToken clsToken;
    private final List<BeitBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private boolean masked;

    /** A freshly initialized encoder (BEiT's initialization, seeded by {@code config.seed()}). */
    public BeitEncoder(Backend backend, BeitConfig config) {
        this.config = config;
        long seed = config.seed();
        patchEmbed = PatchEmbedding.of(backend, PREFIX + "patch_embed", config, seed + 1);
        clsToken = new ClassToken(backend, PREFIX + "cls_token", config.dim()).init(seed + 3);
        maskTokens = new MaskTokens(backend, PREFIX + "mask_token", config.dim()).init(seed + 4);
        for (int i = 0; i < config.depth(); i++) {
            // Stochastic depth grows linearly with depth, from 0 at the first block to the rate at the last.
            float rate = config.depth() == 1 ? config.dropPathRate() : config.dropPathRate() * i / (config.depth() - 1);
            blocks.add(new BeitBlock(backend, PREFIX + "blocks." + i, config, rate, Rng.derive(seed, 1000 + i))
                    .init(i + 1, seed + 10 + 10L * i));
        }
        norm = config.finalNorm() ? new LayerNorm(backend, PREFIX + "norm", config.dim(), config.layerNormEps()) : null;
    }

    public BeitConfig config() { return config; }
    public PatchEmbedding patchEmbedding() { return patchEmbed; }
    public ClassToken clsToken() { return clsToken; }
    public MaskTokens maskTokens() { return maskTokens; }
    public List<BeitBlock> blocks() { return List.copyOf(blocks); }
    /** The final layer norm, or null when the config has none. */
    public LayerNorm norm() { return norm; }

    /**
     * Tokens [B, 1 + G², D] (CLS first) of images [B, 3, S, S]. {@code mask}: int32 [B, G²], nonzero where
     * a patch embedding is replaced by the mask token (row-major over the grid), or null for none.
     * Training mode applies stochastic depth; both keep what {@link #backward} needs.
     */
    public Tensor forward(Tensor images, Tensor mask, boolean training) {
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != config.imageSize() || images.dim(3) != config.imageSize()) {
            throw new IllegalArgumentException("BEiT encoder: images " + images + " are not [B, 3, " + config.imageSize() + ", " + config.imageSize() + "]");
        }
        Tensor x = patchEmbed.forward(images, training);
        masked = mask != null;
        if (masked) {
            mask.requireShape("BEiT mask", images.dim(0), config.patches());
            x = maskTokens.forward(x, mask);
        }
        x = clsToken.forward(x, training);
        for (BeitBlock block : blocks) x = block.forward(x, training);
        return norm == null ? x : norm.forward(x, training);
    }

    /** Backward of the last {@link #forward} for dTokens [B, 1 + G², D]: accumulates every parameter gradient. */
    public void backward(Tensor dTokens) {
        Tensor d = norm == null ? dTokens : norm.backward(dTokens);
        for (int i = blocks.size() - 1; i >= 0; i--) d = blocks.get(i).backward(d);
        d = clsToken.backward(d);
        if (masked) d = maskTokens.backward(d);
        patchEmbed.backward(d);
    }

    /** Positions every stochastic-depth layer at training step {@code step}. */
    public void restoreDropPathStep(long step) {
        for (BeitBlock block : blocks) block.restoreDropPathStep(step);
    }

    /** The convolutional stem's batch-norm statistics by name (none for BEiT's patches). */
    public Map<String, Tensor> buffers() { return patchEmbed.buffers(); }

    /** Every encoder parameter, in a stable order; the mask token is included even when no mask is used. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(patchEmbed.parameters());
        all.addAll(clsToken.parameters());
        all.addAll(maskTokens.parameters());
        for (BeitBlock block : blocks) all.addAll(block.parameters());
        if (norm != null) all.addAll(norm.parameters());
        return all;
    }
}
