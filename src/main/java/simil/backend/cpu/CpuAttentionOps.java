package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.ints;

import simil.tensor.AttentionOps;
import simil.tensor.BlasOps;
import simil.tensor.Tensor;

/**
 * Attention on the CPU: the four per-head products are batched sgemms over B·H matrices; the scale, bias
 * and softmax (and their backward) are one fused Java pass over the score rows, in parallel.
 */
final class CpuAttentionOps implements AttentionOps {
    /** Rows of copying work below which a second thread costs more than it saves. */
    private static final int COPY_GRAIN_ELEMENTS = 1 << 14;

    private final BlasOps blas;

    CpuAttentionOps(CpuBackend backend) {
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
        int bh = batch * heads, qkStride = tokens * headDim, pStride = tokens * tokens;

        blas.gemmStridedBatched(false, true, tokens, tokens, headDim, 1f, q, 0, headDim, qkStride,
                k, 0, headDim, qkStride, 0f, probs, 0, tokens, pStride, bh);

        float[] p = data(probs);
        int po = probs.offset();
        float[] bd = bias == null ? null : data(bias);
        int bo = bias == null ? 0 : bias.offset();
        Parallel.forRange(bh * tokens, Math.max(1, 4096 / tokens), (from, to) -> {
            for (int row = from; row < to; row++) {
                int base = po + row * tokens;
                int head = (row / tokens) % heads, i = row % tokens;
                int biasBase = bo + (head * tokens + i) * tokens;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < tokens; j++) {
                    float s = p[base + j] * scale + (bd == null ? 0f : bd[biasBase + j]);
                    p[base + j] = s;
                    max = Math.max(max, s);
                }
                float sum = 0f;
                for (int j = 0; j < tokens; j++) {
                    float e = expNonPositive(p[base + j] - max);
                    p[base + j] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int j = 0; j < tokens; j++) p[base + j] *= inv;
            }
        });

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
        int bh = batch * heads, qkStride = tokens * headDim, pStride = tokens * tokens;

        // dv = Pᵀ dOut; dP = dOut vᵀ
        blas.gemmStridedBatched(true, false, tokens, headDim, tokens, 1f, probs, 0, tokens, pStride,
                dOut, 0, headDim, qkStride, 0f, dv, 0, headDim, qkStride, bh);
        blas.gemmStridedBatched(false, true, tokens, tokens, headDim, 1f, dOut, 0, headDim, qkStride,
                v, 0, headDim, qkStride, 0f, dScores, 0, tokens, pStride, bh);

        // dS = P ⊙ (dP − Σ_j dP·P). Parallel over bias rows (h, i) with the batch inside, so dBias sums
        // each element over b in a fixed order without a separate pass.
        float[] p = data(probs), ds = data(dScores);
        int po = probs.offset(), dso = dScores.offset();
        float[] dbd = dBias == null ? null : data(dBias);
        int dbo = dBias == null ? 0 : dBias.offset();
        Parallel.forRange(heads * tokens, Math.max(1, 4096 / (tokens * batch)), (from, to) -> {
            float[] acc = dbd == null ? null : new float[tokens];
            for (int hi = from; hi < to; hi++) {
                int head = hi / tokens, i = hi % tokens;
                if (acc != null) java.util.Arrays.fill(acc, 0f);
                for (int b = 0; b < batch; b++) {
                    int off = ((b * heads + head) * tokens + i) * tokens;
                    float dot = 0f;
                    for (int j = 0; j < tokens; j++) dot += ds[dso + off + j] * p[po + off + j];
                    for (int j = 0; j < tokens; j++) {
                        float g = p[po + off + j] * (ds[dso + off + j] - dot);
                        ds[dso + off + j] = g;
                        if (acc != null) acc[j] += g;
                    }
                }
                if (acc != null) {
                    int base = dbo + hi * tokens;
                    for (int j = 0; j < tokens; j++) dbd[base + j] += acc[j];
                }
            }
        });

        // scores = scale · q kᵀ: dq = scale · dS k, dk = scale · dSᵀ q
        blas.gemmStridedBatched(false, false, tokens, headDim, tokens, scale, dScores, 0, tokens, pStride,
                k, 0, headDim, qkStride, 0f, dq, 0, headDim, qkStride, bh);
        blas.gemmStridedBatched(true, false, tokens, headDim, tokens, scale, dScores, 0, tokens, pStride,
                q, 0, headDim, qkStride, 0f, dk, 0, headDim, qkStride, bh);
    }

    @Override
    public void splitHeads(Tensor qkv, Tensor qkvBias, Tensor q, Tensor k, Tensor v) {
        int batch = q.dim(0), heads = q.dim(1), tokens = q.dim(2), headDim = q.dim(3), dim = heads * headDim;
        qkv.requireShape("packed qkv", batch, tokens, 3 * dim);
        k.requireShape("keys", q.shape());
        v.requireShape("values", q.shape());
        if (qkvBias != null) qkvBias.requireShape("qkv bias", 3 * dim);
        float[] src = data(qkv);
        float[][] dst = {data(q), data(k), data(v)};
        int[] dstOff = {q.offset(), k.offset(), v.offset()};
        float[] bd = qkvBias == null ? null : data(qkvBias);
        int so = qkv.offset(), bo = qkvBias == null ? 0 : qkvBias.offset();
        Parallel.forRange(batch * tokens, Math.max(1, COPY_GRAIN_ELEMENTS / (3 * dim)), (from, to) -> {
            for (int bt = from; bt < to; bt++) {
                int b = bt / tokens, t = bt % tokens;
                for (int part = 0; part < 3; part++) {
                    float[] d = dst[part];
                    for (int h = 0; h < heads; h++) {
                        int s = so + bt * 3 * dim + part * dim + h * headDim;
                        int o = dstOff[part] + ((b * heads + h) * tokens + t) * headDim;
                        if (bd == null) {
                            System.arraycopy(src, s, d, o, headDim);
                        } else {
                            int bb = bo + part * dim + h * headDim;
                            for (int c = 0; c < headDim; c++) d[o + c] = src[s + c] + bd[bb + c];
                        }
                    }
                }
            }
        });
    }

    @Override
    public void splitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dQkv) {
        int batch = dq.dim(0), heads = dq.dim(1), tokens = dq.dim(2), headDim = dq.dim(3), dim = heads * headDim;
        dQkv.requireShape("packed qkv gradient", batch, tokens, 3 * dim);
        dk.requireShape("key gradient", dq.shape());
        dv.requireShape("value gradient", dq.shape());
        float[][] src = {data(dq), data(dk), data(dv)};
        int[] srcOff = {dq.offset(), dk.offset(), dv.offset()};
        float[] d = data(dQkv);
        int dOff = dQkv.offset();
        Parallel.forRange(batch * tokens, Math.max(1, COPY_GRAIN_ELEMENTS / (3 * dim)), (from, to) -> {
            for (int bt = from; bt < to; bt++) {
                int b = bt / tokens, t = bt % tokens;
                for (int part = 0; part < 3; part++) {
                    for (int h = 0; h < heads; h++) {
                        System.arraycopy(src[part], srcOff[part] + ((b * heads + h) * tokens + t) * headDim,
                                d, dOff + bt * 3 * dim + part * dim + h * headDim, headDim);
                    }
                }
            }
        });
    }

    @Override
    public void mergeHeads(Tensor x, Tensor y) {
        int batch = x.dim(0), heads = x.dim(1), tokens = x.dim(2), headDim = x.dim(3);
        y.requireShape("merged heads", batch, tokens, heads * headDim);
        permuteHeads(data(x), x.offset(), data(y), y.offset(), batch, heads, tokens, headDim, true);
    }

    @Override
    public void mergeHeadsBackward(Tensor dy, Tensor dx) {
        int batch = dx.dim(0), heads = dx.dim(1), tokens = dx.dim(2), headDim = dx.dim(3);
        dy.requireShape("merged heads gradient", batch, tokens, heads * headDim);
        permuteHeads(data(dx), dx.offset(), data(dy), dy.offset(), batch, heads, tokens, headDim, false);
    }

    /** Copies between [B, H, T, Dh] and [B, T, H·Dh] in the direction {@code toMerged} says. */
    private static void permuteHeads(float[] split, int so, float[] merged, int mo,
                                     int batch, int heads, int tokens, int headDim, boolean toMerged) {
        int dim = heads * headDim;
        Parallel.forRange(batch * tokens, Math.max(1, COPY_GRAIN_ELEMENTS / dim), (from, to) -> {
            for (int bt = from; bt < to; bt++) {
                int b = bt / tokens, t = bt % tokens;
                for (int h = 0; h < heads; h++) {
                    int s = so + ((b * heads + h) * tokens + t) * headDim, m = mo + bt * dim + h * headDim;
                    if (toMerged) System.arraycopy(split, s, merged, m, headDim);
                    else System.arraycopy(merged, m, split, s, headDim);
                }
            }
        });
    }

    @Override
    public void relativePositionBias(Tensor table, Tensor index, Tensor out) {
        int entries = table.dim(0), heads = table.dim(1), tokens = index.dim(0);
        index.requireShape("relative position index", tokens, tokens);
        out.requireShape("relative position bias", heads, tokens, tokens);
        float[] td = data(table), od = data(out);
        int[] id = ints(index);
        int to = table.offset(), io = index.offset(), oo = out.offset(), cells = tokens * tokens;
        for (int c = 0; c < cells; c++) {
            int e = checkedIndex(id[io + c], entries, "relative position index");
            for (int h = 0; h < heads; h++) od[oo + h * cells + c] = td[to + e * heads + h];
        }
    }

    @Override
    public void relativePositionBiasBackward(Tensor index, Tensor dBias, Tensor dTable) {
        int entries = dTable.dim(0), heads = dTable.dim(1), tokens = index.dim(0);
        index.requireShape("relative position index", tokens, tokens);
        dBias.requireShape("relative position bias gradient", heads, tokens, tokens);
        float[] gd = data(dBias), td = data(dTable);
        int[] id = ints(index);
        int go = dBias.offset(), to = dTable.offset(), io = index.offset(), cells = tokens * tokens;
        // Sequential: many cells share a table entry, and a fixed order keeps the sum reproducible.
        for (int c = 0; c < cells; c++) {
            int e = checkedIndex(id[io + c], entries, "relative position index");
            for (int h = 0; h < heads; h++) td[to + e * heads + h] += gd[go + h * cells + c];
        }
    }

    @Override
    public void embeddingForward(Tensor table, Tensor ids, Tensor out) {
        int rows = table.dim(0), dim = table.rowSize(), n = ids.size();
        if (out.size() != n * dim) throw new IllegalArgumentException("embedding: " + ids + " x " + table + " -> " + out);
        float[] td = data(table), od = data(out);
        int[] id = ints(ids);
        int to = table.offset(), io = ids.offset(), oo = out.offset();
        Parallel.forRange(n, Math.max(1, COPY_GRAIN_ELEMENTS / dim), (from, end) -> {
            for (int i = from; i < end; i++) {
                int row = checkedIndex(id[io + i], rows, "embedding id");
                System.arraycopy(td, to + row * dim, od, oo + i * dim, dim);
            }
        });
    }

    @Override
    public void embeddingBackward(Tensor ids, Tensor dOut, Tensor dTable) {
        int rows = dTable.dim(0), dim = dTable.rowSize(), n = ids.size();
        if (dOut.size() != n * dim) throw new IllegalArgumentException("embedding gradient: " + dOut + " for " + ids);
        float[] gd = data(dOut), td = data(dTable);
        int[] id = ints(ids);
        int go = dOut.offset(), to = dTable.offset(), io = ids.offset();
        for (int i = 0; i < n; i++) checkedIndex(id[io + i], rows, "embedding id");
        // Column blocks in parallel, ids in order inside: repeated ids sum the same way on any thread count.
        Parallel.forRange(dim, 16, (c0, c1) -> {
            for (int i = 0; i < n; i++) {
                int src = go + i * dim, dst = to + id[io + i] * dim;
                for (int c = c0; c < c1; c++) td[dst + c] += gd[src + c];
            }
        });
    }

    @Override
    public void prependToken(Tensor x, Tensor cls, Tensor out) {
        int batch = x.dim(0), n = x.dim(1), dim = x.dim(2);
        cls.requireShape("class token", dim);
        out.requireShape("tokens with class token", batch, n + 1, dim);
        float[] xd = data(x), cd = data(cls), od = data(out);
        int xo = x.offset(), co = cls.offset(), oo = out.offset();
        Parallel.forRange(batch, Math.max(1, COPY_GRAIN_ELEMENTS / ((n + 1) * dim)), (from, to) -> {
            for (int b = from; b < to; b++) {
                System.arraycopy(cd, co, od, oo + b * (n + 1) * dim, dim);
                System.arraycopy(xd, xo + b * n * dim, od, oo + (b * (n + 1) + 1) * dim, n * dim);
            }
        });
    }

    @Override
    public void prependTokenBackward(Tensor dOut, Tensor dx, Tensor dCls) {
        int batch = dOut.dim(0), n = dOut.dim(1) - 1, dim = dOut.dim(2);
        dCls.requireShape("class token gradient", dim);
        float[] gd = data(dOut), cd = data(dCls);
        int go = dOut.offset(), co = dCls.offset();
        if (dx != null) {
            dx.requireShape("token gradient", batch, n, dim);
            float[] xd = data(dx);
            int xo = dx.offset();
            for (int b = 0; b < batch; b++) System.arraycopy(gd, go + (b * (n + 1) + 1) * dim, xd, xo + b * n * dim, n * dim);
        }
        for (int c = 0; c < dim; c++) {
            double acc = 0;
            for (int b = 0; b < batch; b++) acc += gd[go + b * (n + 1) * dim + c];
            cd[co + c] += (float) acc;
        }
    }

    @Override
    public void maskTokensForward(Tensor x, Tensor mask, Tensor maskEmbedding, Tensor y) {
        int batch = x.dim(0), n = x.dim(1), dim = x.dim(2);
        mask.requireShape("token mask", batch, n);
        maskEmbedding.requireShape("mask embedding", dim);
        y.requireShape("masked tokens", batch, n, dim);
        float[] xd = data(x), ed = data(maskEmbedding), yd = data(y);
        int[] md = ints(mask);
        int xo = x.offset(), eo = maskEmbedding.offset(), yo = y.offset(), mo = mask.offset();
        Parallel.forRange(batch * n, Math.max(1, COPY_GRAIN_ELEMENTS / dim), (from, to) -> {
            for (int i = from; i < to; i++) {
                if (md[mo + i] != 0) System.arraycopy(ed, eo, yd, yo + i * dim, dim);
                else System.arraycopy(xd, xo + i * dim, yd, yo + i * dim, dim);
            }
        });
    }

    @Override
    public void maskTokensBackward(Tensor dy, Tensor mask, Tensor dx, Tensor dMaskEmbedding) {
        int batch = dy.dim(0), n = dy.dim(1), dim = dy.dim(2);
        mask.requireShape("token mask", batch, n);
        dMaskEmbedding.requireShape("mask embedding gradient", dim);
        float[] gd = data(dy), ed = data(dMaskEmbedding);
        int[] md = ints(mask);
        int go = dy.offset(), eo = dMaskEmbedding.offset(), mo = mask.offset();
        if (dx != null) {
            dx.requireShape("token gradient", batch, n, dim);
            float[] xd = data(dx);
            int xo = dx.offset();
            Parallel.forRange(batch * n, Math.max(1, COPY_GRAIN_ELEMENTS / dim), (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (md[mo + i] != 0) java.util.Arrays.fill(xd, xo + i * dim, xo + (i + 1) * dim, 0f);
                    else System.arraycopy(gd, go + i * dim, xd, xo + i * dim, dim);
                }
            });
        }
        Parallel.forRange(dim, 16, (c0, c1) -> {
            double[] acc = new double[c1 - c0];
            for (int i = 0; i < batch * n; i++) {
                if (md[mo + i] == 0) continue;
                for (int c = c0; c < c1; c++) acc[c - c0] += gd[go + i * dim + c];
            }
            for (int c = c0; c < c1; c++) ed[eo + c] += (float) acc[c - c0];
        });
    }

    /**
     * e^x for x ≤ 0 in float precision (relative error about 2e-7), several times cheaper than Math.exp,
     * which dominated the softmax: e^x = 2^n · e^r with n = round(x / ln 2), |r| ≤ ln 2 / 2, and a
     * degree-6 Taylor polynomial for e^r (its remainder r^7/7! is below 1.2e-7).
     */
    static float expNonPositive(float x) {
        if (x < -87f) return 0f; // below this 2^n leaves the normal floats; softmax weights that small are 0
        float n = (x * 1.44269504f + 12582912f) - 12582912f; // round to nearest via 1.5·2^23
        float r = x - n * 0.693145752f - n * 1.42860677e-6f;  // ln 2 split hi + lo so r stays exact
        float poly = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
        return poly * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    private static int checkedIndex(int i, int bound, String what) {
        if (i < 0 || i >= bound) throw new IndexOutOfBoundsException(what + " " + i + " outside [0, " + bound + ")");
        return i;
    }
}
