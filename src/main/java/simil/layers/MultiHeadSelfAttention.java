package simil.layers;

import java.util.ArrayList;
import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * BEiT's self-attention over [B, T, D] tokens: a fused q/k/v projection without bias plus separate
 * query and value biases (no key bias), softmax(q kᵀ / √Dh + relative position bias) v per head, and an
 * output projection with bias. Without a grid it is plain ViT attention (no relative bias).
 *
 * <p>Parameters (timm's BEiT layout): {@code NAME.qkv.weight} [3D, D] holds the query, key and value
 * weights as row blocks [0, D), [D, 2D), [2D, 3D) (transformers' attention.attention.query/key/value.weight);
 * {@code NAME.q_bias}, {@code NAME.v_bias} [D] (query.bias, value.bias);
 * {@code NAME.relative_position_bias_table} [(2G−1)²+3, H] (relative_position_bias.relative_position_bias_table);
 * {@code NAME.proj.weight} [D, D], {@code NAME.proj.bias} [D] (attention.output.dense).
 */
public final class MultiHeadSelfAttention implements Layer {
    private final Backend backend;
    private final int dim, heads, headDim, grid;
    private final float scale;
    private final Linear qkv, proj;
    private final Parameter qBias, vBias, biasTable;
    private final Tensor qkvBias, relativeIndex, dQkvBias;
    private Tensor q, k, v, probs, attended, merged, relativeBias; // attended: probs · v per head [B, H, T, Dh]
    private Tensor dAttended, dScores, dq, dk, dv, dQkv, dRelativeBias;

    /**
     * {@code grid}: side G of the patch grid for a relative position bias over T = G²+1 tokens (CLS first),
     * or 0 for none.
     */
    public MultiHeadSelfAttention(Backend backend, String name, int dim, int heads, int grid) {
        if (dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not divisible by " + heads + " heads");
        this.backend = backend;
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.grid = grid;
        this.scale = (float) (1 / Math.sqrt(headDim));
        this.qkv = new Linear(backend, name + ".qkv", dim, 3 * dim, false);
        this.proj = new Linear(backend, name + ".proj", dim, dim, true);
        this.qBias = new Parameter(backend, name + ".q_bias", false, dim);
        this.vBias = new Parameter(backend, name + ".v_bias", false, dim);
        this.qkvBias = backend.zeros(3 * dim);
        this.dQkvBias = backend.zeros(3 * dim);
        if (grid > 0) {
            int tokens = grid * grid + 1;
            this.biasTable = new Parameter(backend, name + ".relative_position_bias_table", false,
                    RelativePositionIndex.tableSize(grid), heads);
            this.relativeIndex = backend.fromIntArray(RelativePositionIndex.compute(grid), tokens, tokens);
        } else {
            this.biasTable = null;
            this.relativeIndex = null;
        }
    }

    /** BEiT's initialization: projection weights truncated normal (std 0.02); biases and the bias table zero. */
    public MultiHeadSelfAttention init(long seed) {
        Init.truncatedNormal(qkv.weight().value(), 0.02f, seed);
        Init.truncatedNormal(proj.weight().value(), 0.02f, seed + 1);
        for (Parameter p : parameters()) {
            if (p != qkv.weight() && p != proj.weight()) Init.constant(p.value(), 0f);
        }
        return this;
    }

    public Linear qkv() { return qkv; }
    public Linear proj() { return proj; }
    public Parameter qBias() { return qBias; }
    public Parameter vBias() { return vBias; }
    /** The relative position bias table, or null without a grid. */
    public Parameter biasTable() { return biasTable; }
    /** The attention probabilities [B, H, T, T] of the last forward pass. */
    public Tensor probabilities() { return probs; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.rank() != 3 || x.dim(2) != dim) throw new IllegalArgumentException("attention: input " + x + " is not [B, T, " + dim + "]");
        int batch = x.dim(0), tokens = x.dim(1);
        if (grid > 0 && tokens != grid * grid + 1) {
            throw new IllegalArgumentException("attention: " + tokens + " tokens, but a " + grid + "×" + grid + " grid with CLS has " + (grid * grid + 1));
        }
        // The packed bias [q_bias ; 0 ; v_bias] that splitHeads adds (the middle third stays zero).
        backend.tensors().copy(qBias.value(), qkvBias.slice(0, dim));
        backend.tensors().copy(vBias.value(), qkvBias.slice(2 * dim, 3 * dim));
        Tensor packed = qkv.forward(x, training);
        q = Buffers.reuse(backend, q, batch, heads, tokens, headDim);
        k = Buffers.reuse(backend, k, batch, heads, tokens, headDim);
        v = Buffers.reuse(backend, v, batch, heads, tokens, headDim);
        backend.attention().splitHeads(packed, qkvBias, q, k, v);
        if (biasTable != null) {
            relativeBias = Buffers.reuse(backend, relativeBias, heads, tokens, tokens);
            backend.attention().relativePositionBias(biasTable.value(), relativeIndex, relativeBias);
        }
        probs = Buffers.reuse(backend, probs, batch, heads, tokens, tokens);
        attended = Buffers.reuse(backend, attended, batch, heads, tokens, headDim);
        backend.attention().attentionForward(q, k, v, biasTable == null ? null : relativeBias, scale, probs, attended);
        merged = Buffers.reuse(backend, merged, batch, tokens, dim);
        backend.attention().mergeHeads(attended, merged);
        return proj.forward(merged, training);
    }

    @Override
    public Tensor backward(Tensor dy) {
        int batch = q.dim(0), tokens = q.dim(2);
        Tensor dMerged = proj.backward(dy);
        dAttended = Buffers.reuse(backend, dAttended, batch, heads, tokens, headDim);
        backend.attention().mergeHeadsBackward(dMerged, dAttended);
        dScores = Buffers.reuse(backend, dScores, batch, heads, tokens, tokens);
        dq = Buffers.reuse(backend, dq, batch, heads, tokens, headDim);
        dk = Buffers.reuse(backend, dk, batch, heads, tokens, headDim);
        dv = Buffers.reuse(backend, dv, batch, heads, tokens, headDim);
        if (biasTable != null) {
            dRelativeBias = Buffers.reuse(backend, dRelativeBias, heads, tokens, tokens);
            backend.tensors().fill(dRelativeBias, 0f);
        }
        backend.attention().attentionBackward(q, k, v, probs, dAttended, scale, dScores, dq, dk, dv,
                biasTable == null ? null : dRelativeBias);
        if (biasTable != null) backend.attention().relativePositionBiasBackward(relativeIndex, dRelativeBias, biasTable.grad());
        dQkv = Buffers.reuse(backend, dQkv, batch, tokens, 3 * dim);
        backend.attention().splitHeadsBackward(dq, dk, dv, dQkv);
        backend.tensors().sumRows(dQkv, dQkvBias, false);
        backend.tensors().axpy(1f, dQkvBias.slice(0, dim), qBias.grad());
        backend.tensors().axpy(1f, dQkvBias.slice(2 * dim, 3 * dim), vBias.grad());
        return qkv.backward(dQkv);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(List.of(qkv.weight(), qBias, vBias));
        if (biasTable != null) all.add(biasTable);
        all.add(proj.weight());
        all.add(proj.bias());
        return all;
    }
}
