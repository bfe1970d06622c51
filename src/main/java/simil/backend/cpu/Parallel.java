package simil.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges over the CPU backend's worker threads. Work is split into fixed chunks that do
 * not depend on the thread count, so any per-chunk reduction gives the same result on 1 or 16 cores.
 */
public final class Parallel {
    private Parallel() {}

    /** Same thread count as OpenBLAS, so Java kernels and sgemm use the cores alike. */
    private static final ForkJoinPool POOL = new ForkJoinPool(NativeBlas.threadsFromEnvironment(System.getenv()));

    /** A body over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    public static int threads() { return POOL.getParallelism(); }

    /** How deep the current thread is in parallel bodies (the caller of invoke runs chunks too). */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    /** Whether the current thread is running one of several concurrent chunks of a parallel loop. */
    public static boolean insideParallelRegion() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * Runs body over [0, n) in chunks of at least {@code grain} indices, in parallel when there is more
     * than one chunk and more than one thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads() * 4, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || threads() == 1) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Chunk(body, n, chunks, 0, chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeBody body;
        private final int n, chunks, first, last;

        Chunk(RangeBody body, int n, int chunks, int first, int last) {
            this.body = body; this.n = n; this.chunks = chunks; this.first = first; this.last = last;
        }

        @Override
        protected void compute() {
            if (last - first == 1) {
                int[] depth = DEPTH.get();
                depth[0]++;
                try {
                    body.run((int) ((long) n * first / chunks), (int) ((long) n * last / chunks));
                } finally {
                    depth[0]--;
                }
                return;
            }
            int mid = (first + last) >>> 1;
            invokeAll(new Chunk(body, n, chunks, first, mid), new Chunk(body, n, chunks, mid, last));
        }
    }
}
