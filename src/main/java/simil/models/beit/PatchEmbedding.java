package simil.models.beit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import simil.layers.BatchNorm;
import simil.layers.Buffers;
import simil.layers.Conv2d;
import simil.layers.Layer;
import simil.layers.Parameter;
import simil.layers.Relu;
import simil.layers.Sequential;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Images [B, C, H, W] → patch tokens [B, G·G, D], each grid position's D channels as one token, row-major over the
 * grid (PyTorch's {@code flatten(2).transpose(1, 2)}). BEiT's: one convolution with kernel = stride = patch
 * ({@code NAME.proj}, timm's patch_embed.proj). With a convolutional stem ({@link BeitConfig#convStem}): 3×3
 * stride-2 convolutions, each with batch norm and ReLU ({@code NAME.stem.I.conv}, {@code NAME.stem.I.bn}), down to
 * the grid, then {@code NAME.proj} as a 1×1 convolution to D.
 */
public final class PatchEmbedding implements Layer {
    private final Backend backend;
    private final Sequential stem;
    private final Conv2d proj;
    private final int dim;
    private Tensor tokens, dGrid;
    private int[] gridShape;

    /** BEiT's patch embedding: one patch-sized convolution. */
    public PatchEmbedding(Backend backend, String name, int channels, int dim, int patch) {
        this.backend = backend;
        this.dim = dim;
        this.stem = null;
        // The images need no gradient, so the convolution skips its data gradient.
        this.proj = new Conv2d(backend, name + ".proj", channels, dim, patch, patch, 0, true).inputNeedsGrad(false);
    }

    /** The embedding {@code config} describes (a convolutional stem or patches), freshly initialized from {@code seed}. */
    public static PatchEmbedding of(Backend backend, String name, BeitConfig config, long seed) {
        if (!config.convStem()) {
            PatchEmbedding patches = new PatchEmbedding(backend, name, 3, config.dim(), config.patchSize());
            patches.proj.init(seed);
            return patches;
        }
        return new PatchEmbedding(backend, name, config, seed);
    }

    private PatchEmbedding(Backend backend, String name, BeitConfig config, long seed) {
        this.backend = backend;
        this.dim = config.dim();
        List<Layer> layers = new ArrayList<>();
        int in = 3;
        for (int i = 0; i < config.stemConvolutions(); i++) {
            int out = config.stemWidth(i);
            // Batch norm follows, so the convolution has no bias; the images need no gradient.
            layers.add(new Conv2d(backend, name + ".stem." + i + ".conv", in, out, 3, 2, 1, false).init(seed + 10 + i)
                    .inputNeedsGrad(i > 0));
            layers.add(new BatchNorm(backend, name + ".stem." + i + ".bn", out));
            layers.add(new Relu(backend));
            in = out;
        }
        this.stem = new Sequential(layers);
        this.proj = new Conv2d(backend, name + ".proj", in, dim, 1, 1, 0, true).init(seed);
    }

    public Conv2d proj() { return proj; }

    /** The convolutional stem before {@link #proj}, or null for BEiT's patches. */
    public Sequential stem() { return stem; }

    @Override
    public Tensor forward(Tensor images, boolean training) {
        Tensor grid = proj.forward(stem == null ? images : stem.forward(images, training), training);
        gridShape = grid.shape();
        int batch = grid.dim(0), positions = grid.dim(2) * grid.dim(3);
        tokens = Buffers.reuse(backend, tokens, batch, positions, dim);
        backend.tensors().transposeLastTwo(grid.reshape(batch, dim, positions), tokens);
        return tokens;
    }

    /** Accumulates the convolutions' gradients; returns null (images need no gradient). */
    @Override
    public Tensor backward(Tensor dTokens) {
        dGrid = Buffers.reuse(backend, dGrid, gridShape);
        int batch = gridShape[0], positions = gridShape[2] * gridShape[3];
        backend.tensors().transposeLastTwo(dTokens, dGrid.reshape(batch, dim, positions));
        Tensor d = proj.backward(dGrid);
        return stem == null ? d : stem.backward(d);
    }

    @Override
    public List<Parameter> parameters() {
        if (stem == null) return proj.parameters();
        List<Parameter> all = new ArrayList<>(stem.parameters());
        all.addAll(proj.parameters());
        return all;
    }

    @Override
    public Map<String, Tensor> buffers() { return stem == null ? Map.of() : stem.buffers(); }
}
