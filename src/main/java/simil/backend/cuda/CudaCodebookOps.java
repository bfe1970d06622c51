package simil.backend.cuda;

import simil.tensor.CodebookOps;
import simil.tensor.Tensor;

/**
 * Nearest codes by cuBLAS (the cross term −2·x·e over blocks of rows) and an argmin kernel per row; code counts by
 * atomics; Lloyd's update by a stable counting sort of the rows by code and per-code sums in row order in double, so
 * that the centroids are the CPU's bit for bit (kernels/codebooks.cu). A code outside the vocabulary is refused at
 * the next synchronize ({@link DeviceCheck}). The scores, norms, cursors and row order live in the backend's workspace.
 */
final class CudaCodebookOps implements CodebookOps {
    private static final Kernel ROW_NORMS = Kernel.named("codebooks_row_norms");
    private static final Kernel ARGMIN = Kernel.named("codebooks_argmin");
    private static final Kernel COUNT = Kernel.named("codebooks_count");
    private static final Kernel SCAN = Kernel.named("codebooks_scan");
    private static final Kernel ORDER = Kernel.named("codebooks_order");
    private static final Kernel MEANS = Kernel.named("codebooks_means");
    private static final DeviceCheck CODE_RANGE = DeviceCheck.of(IndexOutOfBoundsException::new,
            "a code outside [0, vocabulary) of its codebook");
    /** Threads of the per-row and per-code kernels (CODEBOOK_THREADS), and of the one-block sort steps (ORDER_THREADS). */
    private static final int THREADS = 256, ORDER_THREADS = 1024;
    /** Floats of one block of scores (64 MiB): rows per product = this / vocabulary. */
    private static final int SCORE_FLOATS = 1 << 24;

    private final CudaBackend backend;

    CudaCodebookOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void nearest(Tensor x, Tensor codebook, Tensor codes, Tensor distances) {
        int n = x.dim(0), dim = x.rowSize(), vocab = codebook.dim(0);
        if (codebook.rowSize() != dim || codes.size() != n || (distances != null && distances.size() != n)) {
            throw new IllegalArgumentException("nearest rows of " + codebook + " to " + x + " into " + codes + ", " + distances);
        }
        if (n == 0) return;
        int chunk = Math.max(1, Math.min(n, SCORE_FLOATS / Math.max(1, vocab)));
        // workspace: norms [V], then the scores [chunk, V] of one product
        long normBytes = aligned(4L * vocab), norms = backend.workspace(normBytes + 4L * chunk * vocab), scores = norms + normBytes;
        backend.launch(ROW_NORMS, Launch.perRow(vocab, THREADS, 0), backend.args().pointer(backend.floats(codebook))
                .pointer(norms).i32(dim));
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            backend.gpu().gemm(true, false, vocab, m, dim, -2f, backend.floats(codebook), dim, 0,
                    backend.floats(x) + 4L * from * dim, dim, 0, 0f, scores, vocab, 0, 1);
            backend.launch(ARGMIN, Launch.perRow(m, THREADS, 0), backend.args().pointer(scores)
                    .pointer(norms).pointer(backend.floats(x) + 4L * from * dim).i32(vocab).i32(dim)
                    .pointer(backend.ints(codes) + 4L * from)
                    .pointer(distances == null ? 0L : backend.floats(distances) + 4L * from));
        }
    }

    @Override
    public void countCodes(Tensor codes, Tensor counts) {
        if (codes.size() == 0) return;
        backend.launch(COUNT, Launch.overElements(codes.size()), backend.args().pointer(backend.ints(codes))
                .i64(codes.size()).pointer(backend.ints(counts)).i32(counts.size())
                .pointer(backend.failureWord()).i32(CODE_RANGE.code()));
    }

    @Override
    public void kMeansUpdate(Tensor x, Tensor codes, Tensor centroids, Tensor counts) {
        int n = x.dim(0), dim = x.rowSize(), vocab = centroids.dim(0);
        if (centroids.rowSize() != dim || codes.size() != n || counts.size() != vocab) {
            throw new IllegalArgumentException("k-means update of " + centroids + " from " + x + ", " + codes + ", " + counts);
        }
        backend.gpu().zero(backend.ints(counts), 4L * vocab);
        if (n == 0 || vocab == 0) return;
        countCodes(codes, counts);
        // workspace: cursor [V] (where each code's rows start, then end, in the order), then the order [n]
        long cursorBytes = aligned(4L * vocab), cursor = backend.workspace(cursorBytes + 4L * n), order = cursor + cursorBytes;
        backend.launch(SCAN, Launch.of(1, ORDER_THREADS), backend.args().pointer(backend.ints(counts)).i32(vocab)
                .pointer(cursor));
        backend.launch(ORDER, Launch.of(1, ORDER_THREADS), backend.args().pointer(backend.ints(codes)).i64(n).i32(vocab)
                .pointer(cursor).pointer(order));
        backend.launch(MEANS, Launch.perRow(vocab, THREADS, 0), backend.args().pointer(backend.floats(x)).i32(dim)
                .pointer(order).pointer(cursor).pointer(backend.ints(counts)).pointer(backend.floats(centroids)));
    }

    /** {@code bytes} rounded up to 256, the alignment of the workspace's start. */
    private static long aligned(long bytes) {
        return (bytes + 255) / 256 * 256;
    }
}
