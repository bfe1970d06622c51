package simil.export;

import java.util.List;
import simil.layers.MultiHeadSelfAttention;
import simil.layers.RelativePositionIndex;
import simil.models.beit.Beit;
import simil.models.beit.BeitBlock;
import simil.models.beit.BeitConfig;
import simil.models.beit.BeitEncoder;
import simil.models.beit.PatchEmbedding;
import simil.onnx.OnnxAttribute;
import simil.onnx.OnnxGraph;

/**
 * BEiT's embedding ({@link Beit#embed} outside training) as ONNX nodes: patch embedding, the CLS token,
 * the blocks with their relative position bias, the final norm, the mean of the patch tokens, pool_norm
 * and the head. Images [N, 3, S, S] (normalized) → embeddings [N, bottleneck].
 */
final class BeitNodes {
    private final LayerNodes layers;
    private final OnnxGraph graph;
    private final BeitConfig config;

    BeitNodes(LayerNodes layers, BeitConfig config) {
        this.layers = layers;
        this.graph = layers.graph();
        this.config = config;
    }

    String embedding(Beit model, String images) {
        BeitEncoder encoder = model.encoder();
        String x = tokens(encoder, images);
        for (BeitBlock block : encoder.blocks()) x = block(block, x);
        if (encoder.norm() != null) x = layers.layerNorm(encoder.norm(), x);
        String patches = graph.node("Slice", x, graph.int64s(1), graph.int64s(Long.MAX_VALUE), graph.int64s(1));
        String pooled = graph.node("ReduceMean", List.of(OnnxAttribute.ints("axes", 1), OnnxAttribute.of("keepdims", 0L)), patches);
        String head = layers.gemm(model.head(), layers.layerNorm(model.poolNorm(), pooled));
        return graph.node("Relu", head);
    }

    /** [N, 3, S, S] → [N, 1 + G², D]: patches row-major over the grid, the CLS token first. */
    private String tokens(BeitEncoder encoder, String images) {
        int dim = config.dim();
        PatchEmbedding embedding = encoder.patchEmbedding();
        String grid = layers.conv(embedding.proj(), embedding.stem() == null ? images : layers.sequential(embedding.stem(), images));
        String flat = graph.node("Reshape", grid, graph.int64s(0, dim, -1));
        String patches = graph.node("Transpose", List.of(OnnxAttribute.ints("perm", 0, 2, 1)), flat);
        // The CLS token [D] broadcast to [N, 1, D]: N read from the input's shape.
        String batch = graph.node("Gather", List.of(OnnxAttribute.of("axis", 0L)), graph.node("Shape", images), graph.int64s(0));
        String shape = graph.node("Concat", List.of(OnnxAttribute.of("axis", 0L)), batch, graph.int64s(1, dim));
        String cls = graph.node("Reshape", layers.weights(encoder.clsToken().token()), graph.int64s(1, 1, dim));
        return graph.node("Concat", List.of(OnnxAttribute.of("axis", 1L)), graph.node("Expand", cls, shape), patches);
    }

    /** x + γ1 ⊙ Attn(LN1(x)), then + γ2 ⊙ fc2(GELU(fc1(LN2(·)))). */
    private String block(BeitBlock block, String x) {
        String attended = attention(block.attn(), layers.layerNorm(block.norm1(), x));
        String mid = graph.node("Add", x, layers.layerScale(block.gamma1(), attended));
        String hidden = layers.gelu(layers.matMul(block.fc1(), layers.layerNorm(block.norm2(), mid)));
        return graph.node("Add", mid, layers.layerScale(block.gamma2(), layers.matMul(block.fc2(), hidden)));
    }

    /** softmax(q kᵀ / √Dh + relative position bias) v per head, merged, then the output projection. */
    private String attention(MultiHeadSelfAttention attn, String x) {
        int dim = config.dim(), heads = config.heads(), headDim = dim / heads;
        String qkvBias = graph.node("Concat", List.of(OnnxAttribute.of("axis", 0L)),
                layers.weights(attn.qBias()), graph.floats(new float[dim]), layers.weights(attn.vBias()));
        String qkv = graph.node("Add", layers.matMul(attn.qkv(), x), qkvBias);
        String split = graph.node("Transpose", List.of(OnnxAttribute.ints("perm", 2, 0, 3, 1, 4)),
                graph.node("Reshape", qkv, graph.int64s(0, 0, 3, heads, headDim)));
        String q = part(split, 0), k = part(split, 1), v = part(split, 2);
        String keysT = graph.node("Transpose", List.of(OnnxAttribute.ints("perm", 0, 1, 3, 2)), k);
        String scores = graph.node("Mul", graph.node("MatMul", q, keysT), graph.scalar((float) (1 / Math.sqrt(headDim))));
        if (attn.biasTable() != null) scores = graph.node("Add", scores, relativeBias(attn));
        String probabilities = graph.node("Softmax", List.of(OnnxAttribute.of("axis", -1L)), scores);
        String merged = graph.node("Reshape",
                graph.node("Transpose", List.of(OnnxAttribute.ints("perm", 0, 2, 1, 3)), graph.node("MatMul", probabilities, v)),
                graph.int64s(0, 0, dim));
        return layers.matMul(attn.proj(), merged);
    }

    /** q, k or v [N, H, T, Dh] out of [3, N, H, T, Dh]. */
    private String part(String split, long index) {
        return graph.node("Gather", List.of(OnnxAttribute.of("axis", 0L)), split, graph.int64Tensor(new long[] {index}));
    }

    /** The bias [H, T, T] that query i adds to key j: the table's row at BEiT's relative position index. */
    private String relativeBias(MultiHeadSelfAttention attn) {
        int tokens = config.patches() + 1;
        int[] index = RelativePositionIndex.compute(config.grid());
        long[] wide = new long[index.length];
        for (int i = 0; i < index.length; i++) wide[i] = index[i];
        String gathered = graph.node("Gather", List.of(OnnxAttribute.of("axis", 0L)), layers.weights(attn.biasTable()),
                graph.int64Tensor(wide, tokens, tokens));
        return graph.node("Transpose", List.of(OnnxAttribute.ints("perm", 2, 0, 1)), gathered);
    }
}
