package simil.tensor;

/**
 * Multi-head scaled dot-product attention with an additive bias, and the token plumbing around it
 * (head splitting, BEiT's relative position bias, embeddings, the CLS token, masked-patch replacement).
 */
public interface AttentionOps {
    /**
     * q, k, v: [B, H, T, Dh]; bias: [H, T, T] added to every batch's scores (may be null);
     * probs: [B, H, T, T], saved for backward; out: [B, H, T, Dh].
     * probs = softmax(scale · q kᵀ + bias), out = probs · v.
     */
    void attentionForward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale, Tensor probs, Tensor out);

    /**
     * dq, dk, dv overwrite; dBias [H, T, T] accumulates (Σ over the batch) unless null. dScores
     * [B, H, T, T] is the caller's workspace (it ends up holding the gradient of the pre-softmax scores).
     */
    void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor dOut, float scale,
                           Tensor dScores, Tensor dq, Tensor dk, Tensor dv, Tensor dBias);

    /**
     * qkv [B, T, 3·H·Dh] (q, k, v packed along features, as a fused linear writes them) → q, k, v
     * [B, H, T, Dh], adding qkvBias [3·H·Dh] on the way unless it is null (BEiT's q and v biases).
     */
    void splitHeads(Tensor qkv, Tensor qkvBias, Tensor q, Tensor k, Tensor v);

    /**
     * Inverse of {@link #splitHeads}: packs dq, dk, dv back into dQkv [B, T, 3·H·Dh] (overwrites). The
     * bias gradient is the column sum of dQkv ({@link TensorOps#sumRows}).
     */
    void splitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dQkv);

    /** x [B, H, T, Dh] → y [B, T, H·Dh]. */
    void mergeHeads(Tensor x, Tensor y);

    /** Inverse of {@link #mergeHeads}: dy [B, T, H·Dh] → dx [B, H, T, Dh]. */
    void mergeHeadsBackward(Tensor dy, Tensor dx);

    /**
     * BEiT's relative position bias: out[h, i, j] = table[index[i, j], h], table [R, H], index int32 [T, T]
     * (see simil.layers.RelativePositionIndex), out [H, T, T].
     */
    void relativePositionBias(Tensor table, Tensor index, Tensor out);

    /** Backward of {@link #relativePositionBias}: dTable[index[i, j], h] += dBias[h, i, j]. */
    void relativePositionBiasBackward(Tensor index, Tensor dBias, Tensor dTable);

    /** out[i, :] = table[ids[i], :]; ids is int32. */
    void embeddingForward(Tensor table, Tensor ids, Tensor out);

    /** dTable[ids[i], :] += dOut[i, :]. */
    void embeddingBackward(Tensor ids, Tensor dOut, Tensor dTable);

    /** out [B, N+1, D] = [cls ; x[b]] for each b, x being [B, N, D] and cls [D]. */
    void prependToken(Tensor x, Tensor cls, Tensor out);

    /** dx = dOut[:, 1:, :] (overwrites; skipped when dx is null); dCls += Σ_b dOut[b, 0, :]. */
    void prependTokenBackward(Tensor dOut, Tensor dx, Tensor dCls);

    /** y[b, n, :] = mask[b, n] ≠ 0 ? maskEmbedding : x[b, n, :], mask int32 [B, N] (BEiT's masked patches). */
    void maskTokensForward(Tensor x, Tensor mask, Tensor maskEmbedding, Tensor y);

    /**
     * dx = dy where unmasked, 0 where masked (overwrites; skipped when dx is null); dMaskEmbedding += Σ of
     * dy over masked positions.
     */
    void maskTokensBackward(Tensor dy, Tensor mask, Tensor dx, Tensor dMaskEmbedding);
}
