package simil.backend.cuda;

import simil.tensor.AttentionOps;
import simil.tensor.BlasOps;
import simil.tensor.Tensor;

/**
 * Attention on the GPU: the four per-head products are cuBLAS strided-batched sgemms over B·H matrices, as on the
 * CPU; the scale, bias and softmax (and their backward) are one kernel over the score rows, a warp per row
 * (kernels/attention.cu), and the token plumbing is elementwise kernels there and in kernels/masking.cu. Ids and
 * relative positions outside their table are checked by the kernels ({@link DeviceCheck}: an IndexOutOfBoundsException
 * at the next synchronize), since checking them here would read them back.
 */
final class CudaAttentionOps implements AttentionOps {
    /** Score rows per block of the softmax kernels, a warp each (ATTENTION_ROWS_PER_BLOCK). */
    private static final int ROWS_PER_BLOCK = 8;

    private static final Kernel SOFTMAX_FORWARD = Kernel.named("attention_softmax_forward");
    private static final Kernel SOFTMAX_BACKWARD = Kernel.named("attention_softmax_backward");
    private static final Kernel BIAS_BACKWARD = Kernel.named("attention_bias_backward");
    private static final Kernel SPLIT_HEADS = Kernel.named("attention_split_heads");
    private static final Kernel SPLIT_HEADS_BACKWARD = Kernel.named("attention_split_heads_backward");
    private static final Kernel PERMUTE_HEADS = Kernel.named("attention_permute_heads");
    private static final Kernel RELATIVE_POSITION_BIAS = Kernel.named("attention_relative_position_bias");
    private static final Kernel RELATIVE_POSITION_BIAS_BACKWARD = Kernel.named("attention_relative_position_bias_backward");
    private static final Kernel EMBEDDING_FORWARD = Kernel.named("attention_embedding_forward");
    private static final Kernel EMBEDDING_BACKWARD = Kernel.named("attention_embedding_backward");
    private static final Kernel PREPEND_TOKEN = Kernel.named("attention_prepend_token");
    private static final Kernel PREPEND_TOKEN_BACKWARD_INPUT = Kernel.named("attention_prepend_token_backward_input");
    private static final Kernel PREPEND_TOKEN_BACKWARD_TOKEN = Kernel.named("attention_prepend_token_backward_token");
    private static final Kernel MASK_TOKENS_FORWARD = Kernel.named("masking_tokens_forward");
    private static final Kernel MASK_TOKENS_BACKWARD_INPUT = Kernel.named("masking_tokens_backward_input");
    private static final Kernel MASK_TOKENS_BACKWARD_EMBEDDING_PARTIAL = Kernel.named("masking_tokens_backward_embedding_partial");

    private static final DeviceCheck RELATIVE_POSITION = DeviceCheck.of(IndexOutOfBoundsException::new,
            "relative position bias: an index outside the table");
    private static final DeviceCheck EMBEDDING_ID = DeviceCheck.of(IndexOutOfBoundsException::new,
            "embedding: an id outside the table");

    private final CudaBackend backend;
    private final BlasOps blas;

    CudaAttentionOps(CudaBackend backend) {
        this.backend = backend;
        this.blas = backend.blas();
    }

    @Override
    public void attentionForward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale, Tensor probs, Tensor out) {
        int batch = q.dim(0), heads = q.dim(1), tokens = q.dim(2), headDim = q.dim(3);
        k.requireShape("attention keys", q.shape());
        v.requireShape("attention values", q.shape());
        out.requireShape("attention output", q.shape());
        probs.requireShape("attention probabilities", batch, heads, tokens, tokens);
        if (bias != null) bias.requireShape("attention bias", heads, tokens, tokens);
        int bh = batch * heads, qkStride = tokens * headDim, pStride = tokens * tokens, rows = bh * tokens;
        if (rows == 0) return;

        blas.gemmStridedBatched(false, true, tokens, tokens, headDim, 1f, q, 0, headDim, qkStride,
                k, 0, headDim, qkStride, 0f, probs, 0, tokens, pStride, bh);
        backend.launch(SOFTMAX_FORWARD, scoreRows(rows), backend.args().pointer(backend.floats(probs))
                .pointer(bias == null ? 0 : backend.floats(bias)).f32(scale).i32(rows).i32(heads).i32(tokens));
        blas.gemmStridedBatched(false, false, tokens, headDim, tokens, 1f, probs, 0, tokens, pStride,
                v, 0, headDim, qkStride, 0f, out, 0, headDim, qkStride, bh);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor dOut, float scale,
                                  Tensor dScores, Tensor dq, Tensor dk, Tensor dv, Tensor dBias) {
        int batch = q.dim(0), heads = q.dim(1), tokens = q.dim(2), headDim = q.dim(3);
        for (Tensor t : new Tensor[] {k, v, dOut, dq, dk, dv}) t.requireShape("attention gradient operand", q.shape());
        probs.requireShape("attention probabilities", batch, heads, tokens, tokens);
        dScores.requireShape("attention score workspace", batch, heads, tokens, tokens);
        if (dBias != null) dBias.requireShape("attention bias gradient", heads, tokens, tokens);
        int bh = batch * heads, qkStride = tokens * headDim, pStride = tokens * tokens, rows = bh * tokens;
        if (rows == 0) return;

        // dv = Pᵀ dOut; dP = dOut vᵀ
        blas.gemmStridedBatched(true, false, tokens, headDim, tokens, 1f, probs, 0, tokens, pStride,
                dOut, 0, headDim, qkStride, 0f, dv, 0, headDim, qkStride, bh);
        blas.gemmStridedBatched(false, true, tokens, tokens, headDim, 1f, dOut, 0, headDim, qkStride,
                v, 0, headDim, qkStride, 0f, dScores, 0, tokens, pStride, bh);
        // dS = P ⊙ (dP − Σ_j dP·P); dBias sums dS over the batch
        backend.launch(SOFTMAX_BACKWARD, scoreRows(rows), backend.args().pointer(backend.floats(dScores))
                .pointer(backend.floats(probs)).i32(rows).i32(tokens));
        if (dBias != null) {
            backend.launch(BIAS_BACKWARD, Launch.overElements(dBias.size()), backend.args()
                    .pointer(backend.floats(dScores)).pointer(backend.floats(dBias)).i32(batch).i64(dBias.size()));
        }
        // scores = scale · q kᵀ: dq = scale · dS k, dk = scale · dSᵀ q
        blas.gemmStridedBatched(false, false, tokens, headDim, tokens, scale, dScores, 0, tokens, pStride,
                k, 0, headDim, qkStride, 0f, dq, 0, headDim, qkStride, bh);
        blas.gemmStridedBatched(true, false, tokens, headDim, tokens, scale, dScores, 0, tokens, pStride,
                q, 0, headDim, qkStride, 0f, dk, 0, headDim, qkStride, bh);
    }

    private static Launch scoreRows(int rows) {
        return new Launch((rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, 1, 1, 32, ROWS_PER_BLOCK, 1, 0);
    }

    @Override
    public void splitHeads(Tensor qkv, Tensor qkvBias, Tensor q, Tensor k, Tensor v) {
        int batch = q.dim(0), heads = q.dim(1), tokens = q.dim(2), headDim = q.dim(3), dim = heads * headDim;
        qkv.requireShape("packed qkv", batch, tokens, 3 * dim);
        k.requireShape("keys", q.shape());
        v.requireShape("values", q.shape());
        if (qkvBias != null) qkvBias.requireShape("qkv bias", 3 * dim);
        if (qkv.size() == 0) return;
        backend.launch(SPLIT_HEADS, Launch.overElements(qkv.size()), backend.args().pointer(backend.floats(qkv))
                .pointer(qkvBias == null ? 0 : backend.floats(qkvBias))
                .pointer(backend.floats(q)).pointer(backend.floats(k)).pointer(backend.floats(v))
                .i32(heads).i32(tokens).i32(headDim).i64(qkv.size()));
    }

    @Override
    public void splitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dQkv) {
        int batch = dq.dim(0), heads = dq.dim(1), tokens = dq.dim(2), headDim = dq.dim(3), dim = heads * headDim;
        dQkv.requireShape("packed qkv gradient", batch, tokens, 3 * dim);
        dk.requireShape("key gradient", dq.shape());
        dv.requireShape("value gradient", dq.shape());
        if (dQkv.size() == 0) return;
        backend.launch(SPLIT_HEADS_BACKWARD, Launch.overElements(dQkv.size()), backend.args()
                .pointer(backend.floats(dq)).pointer(backend.floats(dk)).pointer(backend.floats(dv))
                .pointer(backend.floats(dQkv)).i32(heads).i32(tokens).i32(headDim).i64(dQkv.size()));
    }

    @Override
    public void mergeHeads(Tensor x, Tensor y) {
        int batch = x.dim(0), heads = x.dim(1), tokens = x.dim(2), headDim = x.dim(3);
        y.requireShape("merged heads", batch, tokens, heads * headDim);
        permuteHeads(x, y, heads, tokens, headDim, true);
    }

    @Override
    public void mergeHeadsBackward(Tensor dy, Tensor dx) {
        int batch = dx.dim(0), heads = dx.dim(1), tokens = dx.dim(2), headDim = dx.dim(3);
        dy.requireShape("merged heads gradient", batch, tokens, heads * headDim);
        permuteHeads(dx, dy, heads, tokens, headDim, false);
    }

    /** Copies between [B, H, T, Dh] and [B, T, H·Dh] in the direction {@code toMerged} says. */
    private void permuteHeads(Tensor split, Tensor merged, int heads, int tokens, int headDim, boolean toMerged) {
        if (merged.size() == 0) return;
        backend.launch(PERMUTE_HEADS, Launch.overElements(merged.size()), backend.args()
                .pointer(backend.floats(split)).pointer(backend.floats(merged))
                .i32(heads).i32(tokens).i32(headDim).i64(merged.size()).i32(toMerged ? 1 : 0));
    }

    @Override
    public void relativePositionBias(Tensor table, Tensor index, Tensor out) {
        int entries = table.dim(0), heads = table.dim(1), tokens = index.dim(0);
        index.requireShape("relative position index", tokens, tokens);
        out.requireShape("relative position bias", heads, tokens, tokens);
        if (out.size() == 0) return;
        backend.launch(RELATIVE_POSITION_BIAS, Launch.overElements(out.size()), backend.args()
                .pointer(backend.floats(table)).pointer(backend.ints(index)).pointer(backend.floats(out))
                .pointer(backend.failureWord()).i32(RELATIVE_POSITION.code()).i32(entries).i32(heads).i32(tokens * tokens));
    }

    @Override
    public void relativePositionBiasBackward(Tensor index, Tensor dBias, Tensor dTable) {
        int entries = dTable.dim(0), heads = dTable.dim(1), tokens = index.dim(0);
        index.requireShape("relative position index", tokens, tokens);
        dBias.requireShape("relative position bias gradient", heads, tokens, tokens);
        if (dBias.size() == 0) return;
        backend.launch(RELATIVE_POSITION_BIAS_BACKWARD, Launch.overElements(dBias.size()), backend.args()
                .pointer(backend.ints(index)).pointer(backend.floats(dBias)).pointer(backend.floats(dTable))
                .pointer(backend.failureWord()).i32(RELATIVE_POSITION.code()).i32(entries).i32(heads).i32(tokens * tokens));
    }

    @Override
    public void embeddingForward(Tensor table, Tensor ids, Tensor out) {
        int rows = table.dim(0), dim = table.rowSize(), n = ids.size();
        if (out.size() != n * dim) throw new IllegalArgumentException("embedding: " + ids + " x " + table + " -> " + out);
        if (out.size() == 0) return;
        backend.launch(EMBEDDING_FORWARD, Launch.overElements(out.size()), backend.args()
                .pointer(backend.floats(table)).pointer(backend.ints(ids)).pointer(backend.floats(out))
                .pointer(backend.failureWord()).i32(EMBEDDING_ID.code()).i32(rows).i32(dim).i64(out.size()));
    }

    @Override
    public void embeddingBackward(Tensor ids, Tensor dOut, Tensor dTable) {
        int rows = dTable.dim(0), dim = dTable.rowSize(), n = ids.size();
        if (dOut.size() != n * dim) throw new IllegalArgumentException("embedding gradient: " + dOut + " for " + ids);
        if (dOut.size() == 0) return;
        backend.launch(EMBEDDING_BACKWARD, Launch.overElements(dOut.size()), backend.args()
                .pointer(backend.ints(ids)).pointer(backend.floats(dOut)).pointer(backend.floats(dTable))
                .pointer(backend.failureWord()).i32(EMBEDDING_ID.code()).i32(rows).i32(dim).i64(dOut.size()));
    }

    @Override
    public void prependToken(Tensor x, Tensor cls, Tensor out) {
        int batch = x.dim(0), n = x.dim(1), dim = x.dim(2);
        cls.requireShape("class token", dim);
        out.requireShape("tokens with class token", batch, n + 1, dim);
        if (out.size() == 0) return;
        backend.launch(PREPEND_TOKEN, Launch.overElements(out.size()), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(cls)).pointer(backend.floats(out))
                .i32(n).i32(dim).i64(out.size()));
    }

    @Override
    public void prependTokenBackward(Tensor dOut, Tensor dx, Tensor dCls) {
        int batch = dOut.dim(0), n = dOut.dim(1) - 1, dim = dOut.dim(2);
        dCls.requireShape("class token gradient", dim);
        if (dx != null) {
            dx.requireShape("token gradient", batch, n, dim);
            if (dx.size() > 0) {
                backend.launch(PREPEND_TOKEN_BACKWARD_INPUT, Launch.overElements(dx.size()), backend.args()
                        .pointer(backend.floats(dOut)).pointer(backend.floats(dx)).i32(n).i32(dim).i64(dx.size()));
            }
        }
        if (dim == 0) return;
        backend.launch(PREPEND_TOKEN_BACKWARD_TOKEN, Launch.of((dim + Launch.THREADS - 1) / Launch.THREADS, Launch.THREADS),
                backend.args().pointer(backend.floats(dOut)).pointer(backend.floats(dCls)).i32(batch).i32(n).i32(dim));
    }

    @Override
    public void maskTokensForward(Tensor x, Tensor mask, Tensor maskEmbedding, Tensor y) {
        int batch = x.dim(0), n = x.dim(1), dim = x.dim(2);
        mask.requireShape("token mask", batch, n);
        maskEmbedding.requireShape("mask embedding", dim);
        y.requireShape("masked tokens", batch, n, dim);
        if (y.size() == 0) return;
        backend.launch(MASK_TOKENS_FORWARD, Launch.overElements(y.size()), backend.args()
                .pointer(backend.floats(x)).pointer(backend.ints(mask)).pointer(backend.floats(maskEmbedding))
                .pointer(backend.floats(y)).i32(dim).i64(y.size()));
    }

    @Override
    public void maskTokensBackward(Tensor dy, Tensor mask, Tensor dx, Tensor dMaskEmbedding) {
        int batch = dy.dim(0), n = dy.dim(1), dim = dy.dim(2);
        mask.requireShape("token mask", batch, n);
        dMaskEmbedding.requireShape("mask embedding gradient", dim);
        if (dx != null) dx.requireShape("token gradient", batch, n, dim);
        if (dy.size() == 0) return;
        // The embedding's sum first: dx may be dy.
        int rows = batch * n, splits = ColumnSums.splits(rows);
        long partial = backend.workspace(ColumnSums.partialBytes(rows, dim, 1));
        backend.launch(MASK_TOKENS_BACKWARD_EMBEDDING_PARTIAL, ColumnSums.tiles(dim, splits), backend.args()
                .pointer(backend.floats(dy)).pointer(backend.ints(mask)).pointer(partial)
                .i32(rows).i32(dim).i32(ColumnSums.rowsPerSplit(rows)));
        ColumnSums.finish(backend, partial, dMaskEmbedding, splits, dim, true);
        if (dx != null) {
            backend.launch(MASK_TOKENS_BACKWARD_INPUT, Launch.overElements(dy.size()), backend.args()
                    .pointer(backend.floats(dy)).pointer(backend.ints(mask)).pointer(backend.floats(dx))
                    .i32(dim).i64(dy.size()));
        }
    }
}
