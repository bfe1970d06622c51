package simil.backend.cuda;

import static simil.backend.cuda.CudaBackend.requireSameSize;

import simil.tensor.NormOps;
import simil.tensor.Tensor;

/**
 * NormOps on the GPU (kernels/norms.cu): batch norm one block per channel (its statistics, normalization and
 * gradients in one pass over the channel), layer norm and row standardization one block per row, layer norm's
 * parameter gradients as column sums over tiles of 32 columns; statistics summed in double as the CPU does.
 */
final class CudaNormOps implements NormOps {
    /** Threads of the per-channel and per-row kernels (NORMS_THREADS). */
    private static final int THREADS = 256;
    /** The column-sum kernel's tile: 32 columns by 16 row slices (NORMS_TILE_COLS, NORMS_TILE_ROWS). */
    private static final int TILE_COLS = 32, TILE_ROWS = 16;

    private static final Kernel BATCH_FORWARD_TRAINING = Kernel.named("norms_batch_forward_training");
    private static final Kernel BATCH_FORWARD_INFERENCE = Kernel.named("norms_batch_forward_inference");
    private static final Kernel BATCH_BACKWARD = Kernel.named("norms_batch_backward");
    private static final Kernel LAYER_FORWARD = Kernel.named("norms_layer_forward");
    private static final Kernel LAYER_BACKWARD_PARAMS = Kernel.named("norms_layer_backward_params");
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
        backend.launch(BATCH_FORWARD_TRAINING, Launch.perRow(l.channels, THREADS, 0), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(gamma)).pointer(backend.floats(beta))
                .pointer(backend.floats(y)).pointer(backend.floats(saveMean)).pointer(backend.floats(saveInvStd))
                .pointer(backend.floats(runningMean)).pointer(backend.floats(runningVar))
                .i32(l.batch).i32(l.channels).i32(l.spatial).f32(momentum).f32(eps));
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                          float eps, Tensor y) {
        Layout l = Layout.of(x, gamma, y);
        checkChannels(l.channels, beta, runningMean, runningVar);
        if (x.size() == 0) return;
        backend.launch(BATCH_FORWARD_INFERENCE, Launch.overElements(x.size()), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(gamma)).pointer(backend.floats(beta))
                .pointer(backend.floats(runningMean)).pointer(backend.floats(runningVar)).pointer(backend.floats(y))
                .i32(l.channels).i32(l.spatial).i64(x.size()).f32(eps));
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                                  Tensor dx, Tensor dGamma, Tensor dBeta) {
        Layout l = Layout.of(x, gamma, dy);
        requireSameSize(x, dx);
        checkChannels(l.channels, saveMean, saveInvStd, dGamma, dBeta);
        if (l.channels == 0) return;
        backend.launch(BATCH_BACKWARD, Launch.perRow(l.channels, THREADS, 0), backend.args()
                .pointer(backend.floats(x)).pointer(backend.floats(dy)).pointer(backend.floats(gamma))
                .pointer(backend.floats(saveMean)).pointer(backend.floats(saveInvStd)).pointer(backend.floats(dx))
                .pointer(backend.floats(dGamma)).pointer(backend.floats(dBeta))
                .i32(l.batch).i32(l.channels).i32(l.spatial));
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
        backend.launch(LAYER_BACKWARD_PARAMS, new Launch((cols + TILE_COLS - 1) / TILE_COLS, 1, 1, TILE_COLS, TILE_ROWS, 1, 0),
                backend.args().pointer(backend.floats(x)).pointer(backend.floats(dy)).pointer(backend.floats(mean))
                        .pointer(backend.floats(invStd)).pointer(backend.floats(dGamma)).pointer(backend.floats(dBeta))
                        .i32(rows).i32(cols));
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
        static Layout of(Tensor x, Tensor gamma, Tensor y) {
            requireSameSize(x, y);
            if (x.rank() < 2 || x.dim(1) != gamma.size()) {
                throw new IllegalArgumentException("batch norm: " + x + " is not [N, " + gamma.size() + ", ...]");
            }
            return new Layout(x.dim(0), x.dim(1), x.size() / (x.dim(0) * x.dim(1)));
        }
    }
}
