package simil.backend.cuda;

import static simil.backend.cuda.CudaBackend.requireSameSize;

import simil.tensor.LossOps;
import simil.tensor.Tensor;

/**
 * Losses and right-answer counts by our kernels (kernels/losses.cu), as {@code CpuLossOps}: the loss's parts in double
 * in the backend's workspace (per block for BCE, per row for cross-entropy), then summed in order by one block into
 * the one-element loss, so a loss never needs a host read and is the same bits on every run. A target out of range,
 * which the CPU throws on at once, surfaces at the next synchronize ({@link DeviceCheck}).
 */
final class CudaLossOps implements LossOps {
    private static final Kernel BCE_WITH_LOGITS = Kernel.named("losses_bce_with_logits");
    private static final Kernel MEAN_FINISH = Kernel.named("losses_mean_finish");
    private static final Kernel COUNT_ROWS = Kernel.named("losses_count_rows");
    private static final Kernel SOFTMAX_CROSS_ENTROPY = Kernel.named("losses_softmax_cross_entropy");
    private static final Kernel COUNT_ARGMAX_MATCHES = Kernel.named("losses_count_argmax_matches");
    private static final Kernel COUNT_SIGN_MATCHES = Kernel.named("losses_count_sign_matches");

    private static final DeviceCheck TARGET_RANGE = DeviceCheck.of(IllegalArgumentException::new,
            "softmax cross-entropy: a counted row's target outside [0, vocabulary)");

    /** Threads of the block reductions (SIMIL_BLOCK_MAX), the most BCE partials, and elements per partial at least. */
    private static final int BLOCK = 256, MAX_PARTIALS = 1024, PER_PARTIAL = 4096;
    /** Where the cross-entropy's per-row losses start in the workspace, after its counted-row count. */
    private static final int ROW_LOSSES = 256;

    private final CudaBackend backend;

    CudaLossOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits, Tensor loss) {
        requireSameSize(logits, targets);
        requireSameSize(logits, dLogits);
        requireScalar(loss);
        int n = logits.size();
        if (n == 0) throw new IllegalArgumentException("binary cross-entropy of an empty tensor");
        int parts = Math.min(MAX_PARTIALS, (n + PER_PARTIAL - 1) / PER_PARTIAL);
        long partial = backend.workspace(8L * parts);
        backend.launch(BCE_WITH_LOGITS, Launch.of(parts, BLOCK), backend.args().pointer(backend.floats(logits))
                .pointer(backend.floats(targets)).pointer(backend.floats(dLogits)).pointer(partial).i32(n));
        backend.launch(MEAN_FINISH, Launch.of(1, BLOCK),
                backend.args().pointer(partial).i32(parts).pointer(0).i32(n).pointer(backend.floats(loss)));
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits, Tensor loss) {
        if (logits.rank() != 2) throw new IllegalArgumentException("softmax cross-entropy expects [N, V] logits, got " + logits);
        int rows = logits.dim(0), vocab = logits.dim(1);
        requireSameSize(logits, dLogits);
        requireScalar(loss);
        if (targets.size() != rows) throw new IllegalArgumentException("targets " + targets + " for " + rows + " rows");
        if (mask != null && mask.size() != rows) throw new IllegalArgumentException("mask " + mask + " for " + rows + " rows");
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("label smoothing " + labelSmoothing + " not in [0, 1]");
        }
        long work = backend.workspace(ROW_LOSSES + 8L * rows), counted = work, rowLosses = work + ROW_LOSSES;
        long maskPointer = mask == null ? 0 : backend.ints(mask);
        backend.gpu().zero(counted, 4);
        if (rows > 0) {
            backend.launch(COUNT_ROWS, Launch.overElements(rows), backend.args().pointer(maskPointer)
                    .pointer(backend.ints(targets)).i32(rows).i32(vocab).pointer(counted)
                    .pointer(backend.failureWord()).i32(TARGET_RANGE.code()));
            backend.launch(SOFTMAX_CROSS_ENTROPY, Launch.perRowOf(rows, vocab), backend.args()
                    .pointer(backend.floats(logits)).pointer(backend.ints(targets)).pointer(maskPointer)
                    .pointer(backend.floats(dLogits)).pointer(rowLosses).pointer(counted).i32(vocab).f32(labelSmoothing));
        }
        backend.launch(MEAN_FINISH, Launch.of(1, BLOCK),
                backend.args().pointer(rowLosses).i32(rows).pointer(counted).i32(rows).pointer(backend.floats(loss)));
    }

    @Override
    public void countArgmaxMatches(Tensor logits, Tensor targets, Tensor mask, Tensor out) {
        if (logits.rank() != 2) throw new IllegalArgumentException("argmax matches expect [N, V] logits, got " + logits);
        int rows = logits.dim(0), vocab = logits.dim(1);
        if (targets.size() != rows) throw new IllegalArgumentException("targets " + targets + " for " + rows + " rows");
        if (mask != null && mask.size() != rows) throw new IllegalArgumentException("mask " + mask + " for " + rows + " rows");
        requireScalar(out);
        backend.gpu().zero(backend.floats(out), 4);
        if (rows == 0 || vocab == 0) return;
        backend.launch(COUNT_ARGMAX_MATCHES, Launch.perRowOf(rows, vocab), backend.args().pointer(backend.floats(logits))
                .pointer(backend.ints(targets)).pointer(mask == null ? 0 : backend.ints(mask))
                .pointer(backend.floats(out)).i32(vocab));
    }

    @Override
    public void countSignMatches(Tensor logits, Tensor targets, Tensor out) {
        requireSameSize(logits, targets);
        requireScalar(out);
        backend.gpu().zero(backend.floats(out), 4);
        int n = logits.size();
        if (n == 0) return;
        backend.launch(COUNT_SIGN_MATCHES, Launch.overElements(n), backend.args().pointer(backend.floats(logits))
                .pointer(backend.floats(targets)).pointer(backend.floats(out)).i32(n));
    }

    private static void requireScalar(Tensor t) {
        if (t.size() != 1) throw new IllegalArgumentException("expected a one-element tensor, got " + t);
    }
}
