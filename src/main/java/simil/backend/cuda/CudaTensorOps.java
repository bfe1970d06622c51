package simil.backend.cuda;

import static simil.backend.cuda.CudaBackend.requireSameSize;

import simil.tensor.Tensor;
import simil.tensor.TensorOps;

/**
 * TensorOps by our kernels (kernels/tensor.cu, the pair matrices' in kernels/pairs.cu), with the contracts of
 * {@code CpuTensorOps}: the same checks of shapes (made here, so that no kernel reads past a tensor), the same
 * overwrite or accumulate, the same sums in double. Sums are deterministic: a column or a whole tensor is summed in
 * partial sums over a geometry fixed by the shape alone, then the partials in order. Bad indices, which the CPU
 * throws on at once, surface at the next synchronize ({@link DeviceCheck}).
 */
final class CudaTensorOps implements TensorOps {
    private static final Kernel FILL = Kernel.named("tensor_fill");
    private static final Kernel SCALE = Kernel.named("tensor_scale");
    private static final Kernel AXPY = Kernel.named("tensor_axpy");
    private static final Kernel ADD = Kernel.named("tensor_add");
    private static final Kernel MULTIPLY = Kernel.named("tensor_multiply");
    private static final Kernel SCALE_ROWS = Kernel.named("tensor_scale_rows");
    private static final Kernel ADD_ROW_VECTOR = Kernel.named("tensor_add_row_vector");
    private static final Kernel MUL_ROW_VECTOR = Kernel.named("tensor_mul_row_vector");
    private static final Kernel FLIP_LAST_DIM = Kernel.named("tensor_flip_last_dim");
    private static final Kernel MEAN_TOKENS = Kernel.named("tensor_mean_tokens");
    private static final Kernel MEAN_TOKENS_BACKWARD = Kernel.named("tensor_mean_tokens_backward");
    private static final Kernel NORMALIZE_CHANNELS = Kernel.named("tensor_normalize_channels");
    private static final Kernel GATHER_INTS = Kernel.named("tensor_gather_ints");
    private static final Kernel SUM_ROWS_PARTIAL = Kernel.named("tensor_sum_rows_partial");
    private static final Kernel MUL_ROW_VECTOR_BACKWARD_PARTIAL = Kernel.named("tensor_mul_row_vector_backward_partial");
    private static final Kernel SUM_OF_SQUARES_PARTIAL = Kernel.named("tensor_sum_of_squares_partial");
    private static final Kernel SUM_OF_SQUARES_FINISH = Kernel.named("tensor_sum_of_squares_finish");
    private static final Kernel TRANSPOSE_LAST_TWO = Kernel.named("tensor_transpose_last_two");
    private static final Kernel MASKED_ROWS = Kernel.named("tensor_masked_rows");
    private static final Kernel CONCAT_COLUMNS = Kernel.named("pairs_concat_columns");
    private static final Kernel SPLIT_COLUMNS = Kernel.named("pairs_split_columns");
    private static final Kernel PAIR_SUM_RELU = Kernel.named("pairs_sum_relu");

    private static final DeviceCheck GATHER_INDEX = DeviceCheck.of(IndexOutOfBoundsException::new,
            "gatherInts: an index outside the source");
    private static final DeviceCheck MASKED_ROWS_CAPACITY = DeviceCheck.of(IllegalStateException::new,
            "maskedRows: more non-zeros in the mask than the capacity of the list");

    /** Threads of the block reductions (SIMIL_BLOCK_MAX) and the most partial sums of a whole-tensor sum. */
    private static final int BLOCK = 256, MAX_PARTIALS = 1024;
    /** Elements per partial sum of sumOfSquares, at least: a small tensor is one block. */
    private static final int PER_PARTIAL = 4096;
    /** The transpose's tile (32×32, blocks of 32×8) and the mask compaction's one block. */
    private static final int TILE = 32, TILE_ROWS = 8, MASKED_ROWS_THREADS = 1024;

    private final CudaBackend backend;

    CudaTensorOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void fill(Tensor t, float value) {
        int n = t.size();
        if (n == 0) return;
        backend.launch(FILL, Launch.overElements(n), backend.args().pointer(backend.floats(t)).i32(n).f32(value));
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        if (src.size() == 0) return;
        backend.gpu().copyOnDevice(backend.floats(src), backend.floats(dst), 4L * src.size());
    }

    @Override
    public void scale(Tensor t, float alpha) {
        int n = t.size();
        if (n == 0) return;
        backend.launch(SCALE, Launch.overElements(n), backend.args().pointer(backend.floats(t)).i32(n).f32(alpha));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        requireSameSize(x, y);
        int n = x.size();
        if (n == 0) return;
        backend.launch(AXPY, Launch.overElements(n),
                backend.args().pointer(backend.floats(x)).pointer(backend.floats(y)).i32(n).f32(alpha));
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        elementwise(ADD, a, b, out);
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        elementwise(MULTIPLY, a, b, out);
    }

    private void elementwise(Kernel kernel, Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        int n = a.size();
        if (n == 0) return;
        backend.launch(kernel, Launch.overElements(n), backend.args()
                .pointer(backend.floats(a)).pointer(backend.floats(b)).pointer(backend.floats(out)).i32(n));
    }

    @Override
    public void scaleRows(Tensor x, Tensor factors, Tensor out) {
        requireSameSize(x, out);
        int rows = factors.size(), cols = rows == 0 ? 0 : x.size() / rows;
        if (cols * rows != x.size()) throw new IllegalArgumentException(x + " cannot be read as " + rows + " rows");
        int n = x.size();
        if (n == 0) return;
        backend.launch(SCALE_ROWS, Launch.overElements(n), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(factors)).pointer(backend.floats(out)).i32(n).i32(cols));
    }

    @Override
    public void addRowVector(Tensor x, Tensor v) {
        int cols = v.size();
        rowsOf(x, cols);
        backend.launch(ADD_ROW_VECTOR, Launch.overElements(x.size()),
                backend.args().pointer(backend.floats(x)).pointer(backend.floats(v)).i32(x.size()).i32(cols));
    }

    @Override
    public void sumRows(Tensor x, Tensor out, boolean accumulate) {
        int cols = out.size(), rows = rowsOf(x, cols);
        int splits = ColumnSums.splits(rows), perSplit = ColumnSums.rowsPerSplit(rows);
        long partial = backend.workspace(8L * splits * cols);
        if (splits > 0) {
            backend.launch(SUM_ROWS_PARTIAL, ColumnSums.tiles(cols, splits), backend.args()
                    .pointer(backend.floats(x)).pointer(partial).i32(rows).i32(cols).i32(perSplit));
        }
        ColumnSums.finish(backend, partial, out, splits, cols, accumulate);
    }

    @Override
    public void mulRowVector(Tensor x, Tensor g, Tensor y) {
        requireSameSize(x, y);
        int cols = g.size();
        rowsOf(x, cols);
        backend.launch(MUL_ROW_VECTOR, Launch.overElements(x.size()), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(g)).pointer(backend.floats(y)).i32(x.size()).i32(cols));
    }

    @Override
    public void mulRowVectorBackward(Tensor x, Tensor g, Tensor dy, Tensor dx, Tensor dg) {
        requireSameSize(x, dy);
        requireSameSize(x, dx);
        requireSameSize(g, dg);
        int cols = g.size(), rows = rowsOf(x, cols);
        int splits = ColumnSums.splits(rows), perSplit = ColumnSums.rowsPerSplit(rows);
        long partial = backend.workspace(8L * splits * cols);
        if (splits > 0) {
            backend.launch(MUL_ROW_VECTOR_BACKWARD_PARTIAL, ColumnSums.tiles(cols, splits), backend.args()
                    .pointer(backend.floats(x)).pointer(backend.floats(g)).pointer(backend.floats(dy))
                    .pointer(backend.floats(dx)).pointer(partial).i32(rows).i32(cols).i32(perSplit));
        }
        ColumnSums.finish(backend, partial, dg, splits, cols, true);
    }

    @Override
    public void concatColumns(Tensor a, Tensor b, Tensor out) {
        int rows = a.dim(0), ca = a.rowSize(), cb = b.rowSize();
        if (b.dim(0) != rows || out.size() != rows * (ca + cb)) {
            throw new IllegalArgumentException("concatColumns: " + a + " + " + b + " -> " + out);
        }
        int n = out.size();
        if (n == 0) return;
        backend.launch(CONCAT_COLUMNS, Launch.overElements(n), backend.args().pointer(backend.floats(a))
                .pointer(backend.floats(b)).pointer(backend.floats(out)).i32(n).i32(ca).i32(cb));
    }

    @Override
    public void splitColumns(Tensor in, Tensor a, Tensor b) {
        int rows = a.dim(0), ca = a.rowSize(), cb = b.rowSize();
        if (b.dim(0) != rows || in.size() != rows * (ca + cb)) {
            throw new IllegalArgumentException("splitColumns: " + in + " -> " + a + " + " + b);
        }
        int n = in.size();
        if (n == 0) return;
        backend.launch(SPLIT_COLUMNS, Launch.overElements(n), backend.args().pointer(backend.floats(in))
                .pointer(backend.floats(a)).pointer(backend.floats(b)).i32(n).i32(ca).i32(cb));
    }

    @Override
    public void flipLastDim(Tensor x, Tensor out) {
        if (out.size() != x.size()) throw new IllegalArgumentException("flipLastDim: " + x + " -> " + out);
        int n = x.size();
        if (n == 0) return;
        backend.launch(FLIP_LAST_DIM, Launch.overElements(n), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(out)).i32(n).i32(x.dim(x.rank() - 1)));
    }

    @Override
    public void meanTokens(Tensor x, int from, Tensor out) {
        int batch = x.dim(0), tokens = x.dim(1), dim = x.dim(2);
        out.requireShape("meanTokens output", batch, dim);
        requireTokens(x, from);
        int n = out.size();
        if (n == 0) return;
        backend.launch(MEAN_TOKENS, Launch.overElements(n), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(out)).i32(n).i32(tokens).i32(dim).i32(from).f32(1f / (tokens - from)));
    }

    @Override
    public void meanTokensBackward(Tensor dOut, int from, Tensor dx) {
        int batch = dx.dim(0), tokens = dx.dim(1), dim = dx.dim(2);
        dOut.requireShape("meanTokens gradient", batch, dim);
        requireTokens(dx, from);
        int n = dx.size();
        if (n == 0) return;
        backend.launch(MEAN_TOKENS_BACKWARD, Launch.overElements(n), backend.args().pointer(backend.floats(dOut))
                .pointer(backend.floats(dx)).i32(n).i32(tokens).i32(dim).i32(from).f32(1f / (tokens - from)));
    }

    private static void requireTokens(Tensor x, int from) {
        if (x.rank() != 3 || from < 0 || from > x.dim(1)) {
            throw new IllegalArgumentException("tokens from " + from + " of " + x + ", which should be [B, T, D]");
        }
    }

    @Override
    public void pairSumRelu(Tensor a, Tensor b, Tensor out) {
        int rows = a.dim(0), cols = b.dim(0), h = a.dim(1);
        out.requireShape("pairSumRelu output", rows * cols, h);
        b.requireShape("pairSumRelu's second half", cols, h);
        int n = out.size();
        if (n == 0) return;
        backend.launch(PAIR_SUM_RELU, Launch.overElements(n), backend.args().pointer(backend.floats(a))
                .pointer(backend.floats(b)).pointer(backend.floats(out)).i32(n).i32(cols).i32(h));
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor out, boolean accumulate) {
        if (out.size() != 1) throw new IllegalArgumentException("sumOfSquares writes one element, not " + out);
        int n = x.size();
        int parts = n == 0 ? 0 : Math.min(MAX_PARTIALS, (n + PER_PARTIAL - 1) / PER_PARTIAL);
        long partial = backend.workspace(8L * Math.max(1, parts));
        if (parts > 0) {
            backend.launch(SUM_OF_SQUARES_PARTIAL, Launch.of(parts, BLOCK),
                    backend.args().pointer(backend.floats(x)).pointer(partial).i32(n));
        }
        backend.launch(SUM_OF_SQUARES_FINISH, Launch.of(1, BLOCK), backend.args()
                .pointer(partial).pointer(backend.floats(out)).i32(parts).i32(accumulate ? 1 : 0));
    }

    @Override
    public void transposeLastTwo(Tensor x, Tensor out) {
        int batch = x.dim(0), rows = x.dim(1), cols = x.dim(2);
        out.requireShape("transposeLastTwo output", batch, cols, rows);
        if (out.size() == 0) return;
        Launch tiles = new Launch((cols + TILE - 1) / TILE, (rows + TILE - 1) / TILE, Math.min(batch, Launch.MAX_BLOCKS),
                TILE, TILE_ROWS, 1, 0);
        backend.launch(TRANSPOSE_LAST_TWO, tiles, backend.args().pointer(backend.floats(x)).pointer(backend.floats(out))
                .i32(batch).i32(rows).i32(cols));
    }

    @Override
    public void normalizeChannels(Tensor x, Tensor mean, Tensor invStd, Tensor out) {
        requireSameSize(x, out);
        int channels = x.dim(1), plane = x.rowSize() / Math.max(1, channels);
        if (mean.size() != channels || invStd.size() != channels) {
            throw new IllegalArgumentException("normalizeChannels: " + x + " with " + mean + ", " + invStd);
        }
        int n = x.size();
        if (n == 0) return;
        backend.launch(NORMALIZE_CHANNELS, Launch.overElements(n), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(mean)).pointer(backend.floats(invStd)).pointer(backend.floats(out))
                .i32(n).i32(channels).i32(plane));
    }

    @Override
    public void gatherInts(Tensor src, Tensor ids, Tensor out) {
        requireSameSize(ids, out);
        int n = ids.size();
        if (n == 0) return;
        backend.launch(GATHER_INTS, Launch.overElements(n), backend.args().pointer(backend.ints(src))
                .pointer(backend.ints(ids)).pointer(backend.ints(out)).i32(n).i32(src.size())
                .pointer(backend.failureWord()).i32(GATHER_INDEX.code()));
    }

    @Override
    public void maskedRows(Tensor mask, int rowStride, int rowOffset, Tensor rows, Tensor valid, Tensor count) {
        requireSameSize(rows, valid);
        if (mask.rank() != 2) throw new IllegalArgumentException("mask " + mask + " is not [B, N]");
        if (count != null && count.size() != 1) throw new IllegalArgumentException("count " + count + " is not one element");
        backend.launch(MASKED_ROWS, Launch.of(1, MASKED_ROWS_THREADS), backend.args().pointer(backend.ints(mask))
                .pointer(backend.ints(rows)).pointer(backend.ints(valid)).pointer(count == null ? 0 : backend.floats(count))
                .i32(mask.size()).i32(mask.dim(1)).i32(rowStride).i32(rowOffset).i32(rows.size())
                .pointer(backend.failureWord()).i32(MASKED_ROWS_CAPACITY.code()));
    }

    private static int rowsOf(Tensor x, int cols) {
        if (cols == 0 || x.size() % cols != 0) {
            throw new IllegalArgumentException(x + " cannot be read as rows of " + cols);
        }
        return x.size() / cols;
    }
}
