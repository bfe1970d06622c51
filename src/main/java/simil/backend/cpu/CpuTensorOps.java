package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.ints;
import static simil.backend.cpu.CpuBackend.requireSameSize;

import simil.tensor.Tensor;
import simil.tensor.TensorOps;

final class CpuTensorOps implements TensorOps {
    /** Below this many elements a loop is cheaper than waking a second thread. */
    private static final int GRAIN = 1 << 15;

    @Override
    public void fill(Tensor t, float value) {
        java.util.Arrays.fill(data(t), t.offset(), t.offset() + t.size(), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        System.arraycopy(data(src), src.offset(), data(dst), dst.offset(), src.size());
    }

    @Override
    public void scale(Tensor t, float alpha) {
        float[] d = data(t);
        int o = t.offset();
        Parallel.forRange(t.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) d[o + i] *= alpha;
        });
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        requireSameSize(x, y);
        float[] xd = data(x), yd = data(y);
        int xo = x.offset(), yo = y.offset();
        Parallel.forRange(x.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) yd[yo + i] += alpha * xd[xo + i];
        });
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        Parallel.forRange(a.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) od[oo + i] = ad[ao + i] + bd[bo + i];
        });
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        Parallel.forRange(a.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) od[oo + i] = ad[ao + i] * bd[bo + i];
        });
    }

    @Override
    public void scaleRows(Tensor x, Tensor factors, Tensor out) {
        requireSameSize(x, out);
        int rows = factors.size(), cols = rows == 0 ? 0 : x.size() / rows;
        if (cols * rows != x.size()) throw new IllegalArgumentException(x + " cannot be read as " + rows + " rows");
        float[] xd = data(x), fd = data(factors), od = data(out);
        int xo = x.offset(), fo = factors.offset(), oo = out.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (from, to) -> {
            for (int r = from; r < to; r++) {
                float f = fd[fo + r];
                for (int c = r * cols; c < (r + 1) * cols; c++) od[oo + c] = xd[xo + c] * f;
            }
        });
    }

    @Override
    public void addRowVector(Tensor x, Tensor v) {
        int cols = v.size(), rows = rowsOf(x, cols);
        float[] xd = data(x), vd = data(v);
        int xo = x.offset(), vo = v.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = xo + r * cols;
                for (int c = 0; c < cols; c++) xd[base + c] += vd[vo + c];
            }
        });
    }

    @Override
    public void sumRows(Tensor x, Tensor out, boolean accumulate) {
        int cols = out.size(), rows = rowsOf(x, cols);
        float[] xd = data(x), od = data(out);
        int xo = x.offset(), oo = out.offset();
        // Column blocks in parallel: each thread owns its output columns, and every column sums its rows
        // in the same order, so the result does not depend on the thread count.
        Parallel.forRange(cols, 64, (from, to) -> {
            double[] acc = new double[to - from];
            for (int r = 0; r < rows; r++) {
                int base = xo + r * cols;
                for (int c = from; c < to; c++) acc[c - from] += xd[base + c];
            }
            for (int c = from; c < to; c++) {
                od[oo + c] = (float) ((accumulate ? od[oo + c] : 0) + acc[c - from]);
            }
        });
    }

    @Override
    public void mulRowVector(Tensor x, Tensor g, Tensor y) {
        requireSameSize(x, y);
        int cols = g.size(), rows = rowsOf(x, cols);
        float[] xd = data(x), gd = data(g), yd = data(y);
        int xo = x.offset(), go = g.offset(), yo = y.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int c = 0; c < cols; c++) yd[yo + r * cols + c] = xd[xo + r * cols + c] * gd[go + c];
            }
        });
    }

    @Override
    public void mulRowVectorBackward(Tensor x, Tensor g, Tensor dy, Tensor dx, Tensor dg) {
        requireSameSize(x, dy);
        requireSameSize(x, dx);
        int cols = g.size(), rows = rowsOf(x, cols);
        float[] xd = data(x), gd = data(g), dyd = data(dy), dxd = data(dx), dgd = data(dg);
        int xo = x.offset(), go = g.offset(), dyo = dy.offset(), dxo = dx.offset(), dgo = dg.offset();
        // Column blocks in parallel, rows walked in memory order (a column at a time strides the whole tensor per
        // column); every column still sums its rows in row order, so the result does not depend on the thread count.
        Parallel.forRange(cols, 64, (from, to) -> {
            double[] acc = new double[to - from];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int c = from; c < to; c++) {
                    float d = dyd[dyo + base + c];
                    acc[c - from] += d * xd[xo + base + c];
                    dxd[dxo + base + c] = d * gd[go + c];
                }
            }
            for (int c = from; c < to; c++) dgd[dgo + c] += (float) acc[c - from];
        });
    }

    @Override
    public void concatColumns(Tensor a, Tensor b, Tensor out) {
        int rows = a.dim(0), ca = a.rowSize(), cb = b.rowSize();
        if (b.dim(0) != rows || out.size() != rows * (ca + cb)) {
            throw new IllegalArgumentException("concatColumns: " + a + " + " + b + " -> " + out);
        }
        float[] ad = data(a), bd = data(b), od = data(out);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ad, a.offset() + r * ca, od, out.offset() + r * (ca + cb), ca);
            System.arraycopy(bd, b.offset() + r * cb, od, out.offset() + r * (ca + cb) + ca, cb);
        }
    }

    @Override
    public void flipLastDim(Tensor x, Tensor out) {
        if (out.size() != x.size()) throw new IllegalArgumentException("flipLastDim: " + x + " -> " + out);
        int w = x.dim(x.rank() - 1), rows = x.size() / w;
        float[] xd = data(x), od = data(out);
        int xo = x.offset(), oo = out.offset();
        Parallel.forRange(rows, 256, (from, to) -> {
            for (int r = from; r < to; r++) {
                int src = xo + r * w, dst = oo + r * w + w - 1;
                for (int i = 0; i < w; i++) od[dst - i] = xd[src + i];
            }
        });
    }

    @Override
    public void splitColumns(Tensor in, Tensor a, Tensor b) {
        int rows = a.dim(0), ca = a.rowSize(), cb = b.rowSize();
        if (b.dim(0) != rows || in.size() != rows * (ca + cb)) {
            throw new IllegalArgumentException("splitColumns: " + in + " -> " + a + " + " + b);
        }
        float[] id = data(in), ad = data(a), bd = data(b);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(id, in.offset() + r * (ca + cb), ad, a.offset() + r * ca, ca);
            System.arraycopy(id, in.offset() + r * (ca + cb) + ca, bd, b.offset() + r * cb, cb);
        }
    }

    @Override
    public void meanTokens(Tensor x, int from, Tensor out) {
        int batch = x.dim(0), tokens = x.dim(1), dim = x.dim(2);
        out.requireShape("meanTokens output", batch, dim);
        float[] xd = data(x), od = data(out);
        int xo = x.offset(), oo = out.offset();
        float inv = 1f / (tokens - from);
        Parallel.forRange(batch, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                float[] acc = new float[dim];
                for (int t = from; t < tokens; t++) {
                    int base = xo + (b * tokens + t) * dim;
                    for (int d = 0; d < dim; d++) acc[d] += xd[base + d];
                }
                for (int d = 0; d < dim; d++) od[oo + b * dim + d] = acc[d] * inv;
            }
        });
    }

    @Override
    public void meanTokensBackward(Tensor dOut, int from, Tensor dx) {
        int batch = dx.dim(0), tokens = dx.dim(1), dim = dx.dim(2);
        dOut.requireShape("meanTokens gradient", batch, dim);
        float[] gd = data(dOut), dxd = data(dx);
        int go = dOut.offset(), xo = dx.offset();
        float inv = 1f / (tokens - from);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < tokens; t++) {
                int base = xo + (b * tokens + t) * dim;
                for (int d = 0; d < dim; d++) dxd[base + d] = t < from ? 0f : gd[go + b * dim + d] * inv;
            }
        }
    }

    @Override
    public void pairSumRelu(Tensor a, Tensor b, Tensor out) {
        int rows = a.dim(0), cols = b.dim(0), h = a.dim(1);
        out.requireShape("pairSumRelu output", rows * cols, h);
        float[] ad = data(a), bd = data(b), od = data(out);
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        Parallel.forRange(rows * cols, Math.max(1, GRAIN / h), (from, to) -> {
            for (int p = from; p < to; p++) {
                int ar = ao + (p / cols) * h, br = bo + (p % cols) * h, o = oo + p * h;
                for (int k = 0; k < h; k++) od[o + k] = Math.max(0f, ad[ar + k] + bd[br + k]);
            }
        });
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor out, boolean accumulate) {
        if (out.size() != 1) throw new IllegalArgumentException("sumOfSquares writes one element, not " + out);
        float[] d = data(x), od = data(out);
        int o = x.offset(), n = x.size();
        // Chunks of a fixed size summed in parallel, then their sums in chunk order: the same number whatever the
        // thread count.
        double[] partial = new double[(n + GRAIN - 1) / GRAIN];
        Parallel.forRange(partial.length, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double s = 0;
                for (int i = c * GRAIN, end = Math.min(n, i + GRAIN); i < end; i++) s += (double) d[o + i] * d[o + i];
                partial[c] = s;
            }
        });
        double sum = accumulate ? od[out.offset()] : 0;
        for (double s : partial) sum += s;
        od[out.offset()] = (float) sum;
    }

    @Override
    public void transposeLastTwo(Tensor x, Tensor out) {
        int batch = x.dim(0), rows = x.dim(1), cols = x.dim(2);
        out.requireShape("transposeLastTwo output", batch, cols, rows);
        float[] xd = data(x), od = data(out);
        int xo = x.offset(), oo = out.offset(), plane = rows * cols;
        Parallel.forRange(batch, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int xb = xo + b * plane, ob = oo + b * plane;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) od[ob + j * rows + i] = xd[xb + i * cols + j];
                }
            }
        });
    }

    @Override
    public void normalizeChannels(Tensor x, Tensor mean, Tensor invStd, Tensor out) {
        requireSameSize(x, out);
        int batch = x.dim(0), channels = x.dim(1), plane = x.rowSize() / Math.max(1, channels);
        if (mean.size() != channels || invStd.size() != channels) {
            throw new IllegalArgumentException("normalizeChannels: " + x + " with " + mean + ", " + invStd);
        }
        float[] xd = data(x), md = data(mean), sd = data(invStd), od = data(out);
        int xo = x.offset(), mo = mean.offset(), so = invStd.offset(), oo = out.offset();
        Parallel.forRange(batch * channels, Math.max(1, GRAIN / Math.max(1, plane)), (from, to) -> {
            for (int nc = from; nc < to; nc++) {
                float m = md[mo + nc % channels], inv = sd[so + nc % channels];
                for (int p = nc * plane, end = p + plane; p < end; p++) od[oo + p] = (xd[xo + p] - m) * inv;
            }
        });
    }

    @Override
    public void gatherInts(Tensor src, Tensor ids, Tensor out) {
        requireSameSize(ids, out);
        int[] sd = ints(src), id = ints(ids), od = ints(out);
        int so = src.offset(), io = ids.offset(), oo = out.offset(), n = src.size();
        for (int r = 0; r < ids.size(); r++) {
            int i = id[io + r];
            if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + i + " of " + src);
            od[oo + r] = sd[so + i];
        }
    }

    @Override
    public void maskedRows(Tensor mask, int rowStride, int rowOffset, Tensor rows, Tensor valid, Tensor count) {
        requireSameSize(rows, valid);
        if (mask.rank() != 2) throw new IllegalArgumentException("mask " + mask + " is not [B, N]");
        if (count != null && count.size() != 1) throw new IllegalArgumentException("count " + count + " is not one element");
        int[] md = ints(mask), rd = ints(rows), vd = ints(valid);
        int mo = mask.offset(), ro = rows.offset(), vo = valid.offset(), n = mask.dim(1), capacity = rows.size(), k = 0;
        for (int i = 0; i < mask.size(); i++) {
            if (md[mo + i] == 0) continue;
            if (k == capacity) throw new IllegalStateException("more non-zeros in " + mask + " than the capacity " + capacity);
            rd[ro + k] = (i / n) * rowStride + rowOffset + i % n;
            vd[vo + k++] = 1;
        }
        if (count != null) data(count)[count.offset()] = k;
        java.util.Arrays.fill(rd, ro + k, ro + capacity, 0);
        java.util.Arrays.fill(vd, vo + k, vo + capacity, 0);
    }

    private static int rowsOf(Tensor x, int cols) {
        if (cols == 0 || x.size() % cols != 0) {
            throw new IllegalArgumentException(x + " cannot be read as rows of " + cols);
        }
        return x.size() / cols;
    }
}
