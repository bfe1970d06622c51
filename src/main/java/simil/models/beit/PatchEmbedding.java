package simil.models.beit;

import java.util.List;
import simil.layers.Buffers;
import simil.layers.Conv2d;
import simil.layers.Layer;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Images [B, C, H, W] → patch tokens [B, G·G, D]: a convolution with kernel = stride = patch
 * ({@code NAME.proj}, timm's patch_embed.proj), then each grid position's D channels as one token,
 * row-major over the grid (PyTorch's {@code flatten(2).transpose(1, 2)}).
 */
public final class PatchEmbedding implements Layer {
    private final Backend backend;
    private final Conv2d proj;
    private final int dim;
    private Tensor tokens, dGrid;
    private int[] gridShape;

    public PatchEmbedding(Backend backend, String name, int channels, int dim, int patch) {
        this.backend = backend;
        this.dim = dim;
        // The images need no gradient, so the convolution skips its data gradient.
        this.proj = new Conv2d(backend, name + ".proj", channels, dim, patch, patch, 0, true).inputNeedsGrad(false);
    }

    public Conv2d proj() { return proj; }

    @Override
    public Tensor forward(Tensor images, boolean training) {
        Tensor grid = proj.forward(images, training);
        gridShape = grid.shape();
        int batch = grid.dim(0), positions = grid.dim(2) * grid.dim(3);
        tokens = Buffers.reuse(backend, tokens, batch, positions, dim);
        backend.tensors().transposeLastTwo(grid.reshape(batch, dim, positions), tokens);
        return tokens;
    }

    /** Accumulates the convolution's gradients; returns null (images need no gradient). */
    @Override
    public Tensor backward(Tensor dTokens) {
        dGrid = Buffers.reuse(backend, dGrid, gridShape);
        int batch = gridShape[0], positions = gridShape[2] * gridShape[3];
        backend.tensors().transposeLastTwo(dTokens, dGrid.reshape(batch, dim, positions));
        return proj.backward(dGrid);
    }

    @Override
    public List<Parameter> parameters() { return proj.parameters(); }
}
