package simil.tensor;

/**
 * Multi-head scaled dot-product attention with an additive bias, and the token plumbing around it
 * (head splitting, embeddings, the CLS token, masked-patch replacement).
 */
public interface AttentionOps {
    /**
     * q, k, v: [B, H, T, Dh]; bias: [H, T, T] added to every batch's scores (may be null);
     * probs: [B, H, T, T], saved for backward; out: [B, H, T, Dh].
     * probs = softmax(scale · q kᵀ + bias), out = probs · v.
     */
    void attentionForward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale, Tensor probs, Tensor out);

    /** dq, dk, dv overwrite; dBias [H, T, T] accumulates (Σ over the batch) unless null. */
    void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor dOut, float scale,
                           Tensor dq, Tensor dk, Tensor dv, Tensor dBias);

    /** qkv [B, T, 3·H·Dh] (q, k, v packed along features, as a fused linear writes them) → q, k, v [B, H, T, Dh]. */
    void splitHeads(Tensor qkv, Tensor q, Tensor k, Tensor v);

    /** Inverse of {@link #splitHeads}: packs dq, dk, dv back into dQkv [B, T, 3·H·Dh]. */
    void splitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dQkv);

    /** x [B, H, T, Dh] → y [B, T, H·Dh]. */
    void mergeHeads(Tensor x, Tensor y);

    /** Inverse of {@link #mergeHeads}: dy [B, T, H·Dh] → dx [B, H, T, Dh]. */
    void mergeHeadsBackward(Tensor dy, Tensor dx);

    /** out[i, :] = table[ids[i], :]; ids is int32. */
    void embeddingForward(Tensor table, Tensor ids, Tensor out);

    /** dTable[ids[i], :] += dOut[i, :]. */
    void embeddingBackward(Tensor ids, Tensor dOut, Tensor dTable);

    /** out [B, N+1, D] = [cls ; x[b]] for each b, x being [B, N, D] and cls [D]. */
    void prependToken(Tensor x, Tensor cls, Tensor out);

    /** dx = dOut[:, 1:, :]; dCls += Σ_b dOut[b, 0, :]. */
    void prependTokenBackward(Tensor dOut, Tensor dx, Tensor dCls);

    /** y[b, n, :] = mask[b, n] ≠ 0 ? maskEmbedding : x[b, n, :], mask int32 [B, N] (BEiT's masked patches). */
    void maskTokensForward(Tensor x, Tensor mask, Tensor maskEmbedding, Tensor y);

    /** dx = dy where unmasked, 0 where masked; dMaskEmbedding += Σ of dy over masked positions. */
    void maskTokensBackward(Tensor dy, Tensor mask, Tensor dx, Tensor dMaskEmbedding);
}
