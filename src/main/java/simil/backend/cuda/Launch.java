package simil.backend.cuda;

/**
 * A kernel launch's geometry: grid and block sizes and the dynamic shared memory in bytes, as CUDA takes them.
 */
public record Launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {
    /** Threads per block for elementwise kernels. */
    public static final int THREADS = 256;
    /** Blocks at most for grid-stride loops: enough to fill an H100/H200 (132 SMs) several times over. */
    public static final int MAX_BLOCKS = 65_535;

    public Launch {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX < 1 || blockY < 1 || blockZ < 1 || sharedBytes < 0) {
            throw new IllegalArgumentException("bad launch " + gridX + "x" + gridY + "x" + gridZ + " blocks of "
                    + blockX + "x" + blockY + "x" + blockZ + ", " + sharedBytes + " shared bytes");
        }
        if ((long) blockX * blockY * blockZ > 1024) throw new IllegalArgumentException("more than 1024 threads per block");
    }

    /** A grid-stride loop over {@code n} elements: {@link #THREADS} per block, at most {@link #MAX_BLOCKS} blocks. */
    public static Launch overElements(long n) {
        long blocks = Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
        return new Launch((int) blocks, 1, 1, THREADS, 1, 1, 0);
    }

    /** One block of {@code threads} per row, for {@code rows} rows, with {@code sharedBytes} of shared memory. */
    public static Launch perRow(int rows, int threads, int sharedBytes) {
        return new Launch(Math.max(1, rows), 1, 1, threads, 1, 1, sharedBytes);
    }

    /** Threads most per block of a row reduction (SIMIL_BLOCK_MAX of kernels/simil_block.h, whose buffers hold them). */
    public static final int ROW_THREADS = 256;

    /**
     * One block per row for a reduction over rows of {@code cols} values (kernels/simil_block.h): the fewest threads,
     * a power of two from 32 (one warp) to {@link #ROW_THREADS}, that cover a row, so short rows idle no warps.
     */
    public static Launch perRowOf(int rows, int cols) {
        int threads = 32;
        while (threads < cols && threads < ROW_THREADS) threads <<= 1;
        return perRow(rows, threads, 0);
    }

    /** A 1-D grid of {@code blocks} blocks of {@code threads}. */
    public static Launch of(int blocks, int threads) {
        return new Launch(blocks, 1, 1, threads, 1, 1, 0);
    }

    /** This geometry with {@code bytes} of dynamic shared memory. */
    public Launch withShared(int bytes) {
        return new Launch(gridX, gridY, gridZ, blockX, blockY, blockZ, bytes);
    }
}
