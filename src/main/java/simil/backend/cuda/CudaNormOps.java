package simil.backend.cuda;

import static simil.backend.cuda.CudaBackend.requireSameSize;

import simil.tensor.NormOps;
import simil.tensor.Tensor;

/**
 * NormOps on the GPU (kernels/norms.cu): batch norm's per-channel sums in chunks of a channel, a block each, added in
 * chunk order per channel in the workspace, then an elementwise pass (normalization, dx); layer norm and row
 * standardization one block per row, layer norm's parameter gradients as {@link ColumnSums}; statistics summed in
 * double as the CPU does.
 */
final class CudaNormOps implements NormOps {
    /** Threads of the chunk and per-row kernels (NORMS_THREADS). */
    private static final int THREADS = 256;
    /** A channel's values that one block of batch norm's chunk kernels sums (NORMS_CHUNK). */
    private static final int CHUNK = 8192;

    private static final Kernel BATCH_STATS_PARTIAL = Kernel.named("norms_batch_stats_partial");
    private static final Kernel BATCH_STATS_FINISH = Kernel.named("norms_batch_stats_finish");
    private static final Kernel BATCH_INFERENCE_AFFINE = Kernel.named("norms_batch_inference_affine");
    private static final Kernel BATCH_NORMALIZE = Kernel.named("norms_batch_normalize");
    private static final Kernel BATCH_BACKWARD_PARTIAL = Kernel.named("norms_batch_backward_partial");
    private static final Kernel BATCH_BACKWARD_FINISH = Kernel.named("norms_batch_backward_finish");
    private static final Kernel BATCH_BACKWARD_INPUT = Kernel.named("norms_batch_backward_input");
    private static final Kernel LAYER_FORWARD = Kernel.named("norms_layer_forward");
    private static final Kernel LAYER_BACKWARD_PARAMS_PARTIAL = Kernel.named("norms_layer_backward_params_partial");
    private static final Kernel LAYER_BACKWARD_INPUT = Kernel.named("norms_layer_backward_input");
    private static final Kernel STANDARDIZE_ROWS = Kernel.named("norms_standardize_rows");

    private final CudaBackend backend;

    CudaNormOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                                         Tensor runningMean, Tensor runningVar, float momentum, float eps) {
        Layout l = Layout.of(x, gamma, y);
        checkChannels(l.channels, beta, saveMean, saveInvStd, runningMean, runningVar);
        if ((long) l.batch * l.spatial < 2) {
            throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got " + x);
        }
        if (l.channels == 0) return;
        int chunks = l.chunks();
        long partial = backend.workspace(16L * l.channels * chunks + 16L * l.channels), affine = partial + 16L * l.channels * chunks;
        backend.launch(BATCH_STATS_PARTIAL, l.chunkGrid(), backend.args().pointer(backend.floats(x)).pointer(partial)
                .i32(l.batch).i32(l.channels).i32(l.spatial));
        backend.launch(BATCH_STATS_FINISH, l.perChannel(), backend.args().pointer(partial).pointer(backend.floats(x))
                .pointer(backend.floats(gamma)).pointer(backend.floats(beta))
                .pointer(backend.floats(saveMean)).pointer(backend.floats(saveInvStd))
                .pointer(backend.floats(runningMean)).pointer(backend.floats(runningVar)).pointer(affine)
                .i32(chunks).i32(l.batch).i32(l.channels).i32(l.spatial).f32(momentum).f32(eps));
        normalize(x, affine, y, l);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                          float eps, Tensor y) {
        Layout l = Layout.of(x, gamma, y);
        checkChannels(l.channels, beta, runningMean, runningVar);
        if (x.size() == 0) return;
        long affine = backend.workspace(16L * l.channels);
        backend.launch(BATCH_INFERENCE_AFFINE, l.perChannel(), backend.args()
                .pointer(backend.floats(gamma)).pointer(backend.floats(beta))
                .pointer(backend.floats(runningMean)).pointer(backend.floats(runningVar)).pointer(affine)
                .i32(l.channels).f32(eps));
        normalize(x, affine, y, l);
    }

    /** y = ((x − hi) − lo) · scale + shift with each channel's four floats at {@code affine}. */
    private void normalize(Tensor x, long affine, Tensor y, Layout l) {
        backend.launch(BATCH_NORMALIZE, Launch.overElements(x.size()), backend.args().pointer(backend.floats(x))
                .pointer(affine).pointer(backend.floats(y)).i32(l.channels).i32(l.spatial).i32(x.size()));
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        Layout l = Layout.of(x, gamma, dy);
        requireSameSize(x, dx);
        checkChannels(l.channels, saveMean, saveInvStd, dGamma, dBeta);
        if (x.size() == 0) return;
        int chunks = l.chunks();
        long partial = backend.workspace(16L * l.channels * chunks + 12L * l.channels), coeffs = partial + 16L * l.channels * chunks;
        backend.launch(BATCH_BACKWARD_PARTIAL, l.chunkGrid(), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(dy))
                .pointer(backend.floats(saveMean)).pointer(backend.floats(saveInvStd)).pointer(partial)
                .i32(l.batch).i32(l.channels).i32(l.spatial));
        backend.launch(BATCH_BACKWARD_FINISH, l.perChannel(), backend.args().pointer(partial)
                .pointer(backend.floats(gamma)).pointer(backend.floats(saveInvStd))
                .pointer(backend.floats(dGamma)).pointer(backend.floats(dBeta)).pointer(coeffs)
                .i32(chunks).i32(l.batch).i32(l.channels).i32(l.spatial));
        backend.launch(BATCH_BACKWARD_INPUT, Launch.overElements(x.size()), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(dy))
                .pointer(backend.floats(saveMean)).pointer(backend.floats(saveInvStd)).pointer(coeffs)
                .pointer(backend.floats(dx)).i32(l.channels).i32(l.spatial).i32(x.size()));
    }

    @Override
    public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor invStd) {
        int cols = gamma.size(), rows = rowsOf(x, cols);
        requireSameSize(x, y);
        checkChannels(cols, beta);
        checkChannels(rows, mean, invStd);
        if (rows == 0) return;
        backend.launch(LAYER_FORWARD, Launch.perRow(rows, THREADS, 0), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(gamma)).pointer(backend.floats(beta))
                .pointer(backend.floats(y)).pointer(backend.floats(mean)).pointer(backend.floats(invStd))
                .i32(cols).f32(eps));
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor mean, Tensor invStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        int cols = gamma.size(), rows = rowsOf(x, cols);
        requireSameSize(x, dy);
        requireSameSize(x, dx);
        checkChannels(cols, dGamma, dBeta);
        checkChannels(rows, mean, invStd);
        if (rows == 0) return;
        // dGamma and dBeta first: dx may alias dy.
        int splits = ColumnSums.splits(rows);
        long partial = backend.workspace(ColumnSums.partialBytes(rows, cols, 2));
        backend.launch(LAYER_BACKWARD_PARAMS_PARTIAL, ColumnSums.tiles(cols, splits), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(dy)).pointer(backend.floats(mean))
                .pointer(backend.floats(invStd)).pointer(partial).i32(rows).i32(cols).i32(ColumnSums.rowsPerSplit(rows)));
        ColumnSums.finish(backend, partial, dGamma, splits, cols, true);
        ColumnSums.finish(backend, partial + 8L * splits * cols, dBeta, splits, cols, true);
        backend.launch(LAYER_BACKWARD_INPUT, Launch.perRow(rows, THREADS, 0), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(dy)).pointer(backend.floats(gamma))
                .pointer(backend.floats(mean)).pointer(backend.floats(invStd)).pointer(backend.floats(dx)).i32(cols));
    }

    @Override
    public void standardizeRows(Tensor x, float eps, Tensor y, Tensor mean, Tensor scale) {
        requireSameSize(x, y);
        int rows = x.dim(0), cols = x.rowSize();
        if (mean != null) checkChannels(rows, mean);
        if (scale != null) checkChannels(rows, scale);
        if (rows == 0) return;
        backend.launch(STANDARDIZE_ROWS, Launch.perRow(rows, THREADS, 0), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(y))
                .pointer(mean == null ? 0 : backend.floats(mean)).pointer(scale == null ? 0 : backend.floats(scale))
                .i32(cols).f32(eps));
    }

    private static int rowsOf(Tensor x, int cols) {
        if (cols == 0 || x.size() % cols != 0 || x.dim(-1) != cols) {
            throw new IllegalArgumentException("layer norm: " + x + " does not end in " + cols + " features");
        }
        return x.size() / cols;
    }

    private static void checkChannels(int expected, Tensor... perChannel) {
        for (Tensor t : perChannel) {
            if (t.size() != expected) throw new IllegalArgumentException("expected " + expected + " values, got " + t);
        }
    }

    /** x read as [batch, channels, spatial] (spatial = 1 for [N, C]). */
    private record Layout(int batch, int channels, int spatial) {
        /** Blocks per channel of the chunk kernels: fixed by the shape, so the sums' order is too. */
        int chunks() {
            return Math.max(1, (batch * spatial + CHUNK - 1) / CHUNK);
        }

        /** The chunk kernels' grid: (chunks, channels). */
        Launch chunkGrid() {
            return new Launch(chunks(), channels, 1, THREADS, 1, 1, 0);
        }

        /** A thread per channel. */
        Launch perChannel() {
            return Launch.of((channels + Launch.THREADS - 1) / Launch.THREADS, Launch.THREADS);
        }

        static Layout of(Tensor x, Tensor gamma, Tensor y) {
            requireSameSize(x, y);
            if (x.rank() < 2 || x.dim(1) != gamma.size()) {
                throw new IllegalArgumentException("batch norm: " + x + " is not [N, " + gamma.size() + ", ...]");
            }
            return new Layout(x.dim(0), x.dim(1), x.size() / (x.dim(0) * x.dim(1)));
        }
    }
}
