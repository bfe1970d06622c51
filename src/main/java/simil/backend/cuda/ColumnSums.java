package simil.backend.cuda;

import simil.tensor.Tensor;

/**
 * Column sums over the rows of a [rows, cols] matrix in two steps (kernels/simil_block.h): a kernel writes each row
 * split's double sums into the workspace, {@code tensor_column_sums_finish} adds the splits in order. The splits are
 * fixed by the row count, so a sum is the same bits on every GPU and run.
 */
final class ColumnSums {
    private ColumnSums() {}

    private static final Kernel FINISH = Kernel.named("tensor_column_sums_finish");
    /** The partial kernels' tile (SIMIL_COLUMN_TILE, SIMIL_COLUMN_GROUPS) and rows per split. */
    private static final int TILE = 32, GROUPS = 8, ROWS_PER_SPLIT = 256;

    /** Rows per split: {@link #ROWS_PER_SPLIT}, more where the grid's y would pass 65,535. */
    static int rowsPerSplit(int rows) {
        return Math.max(ROWS_PER_SPLIT, (rows + Launch.MAX_BLOCKS - 1) / Launch.MAX_BLOCKS);
    }

    static int splits(int rows) {
        int per = rowsPerSplit(rows);
        return (rows + per - 1) / per;
    }

    /** Bytes of the partial sums of {@code sums} column sums of {@code cols} columns over {@code rows} rows. */
    static long partialBytes(int rows, int cols, int sums) {
        return 8L * splits(rows) * cols * sums;
    }

    /** The partial kernels' grid: (⌈cols / 32⌉, splits) blocks of 32 × 8. */
    static Launch tiles(int cols, int splits) {
        return new Launch((cols + TILE - 1) / TILE, splits, 1, TILE, GROUPS, 1, 0);
    }

    /** out (+)= the sums of the {@code splits} partial rows at {@code partial}. */
    static void finish(CudaBackend backend, long partial, Tensor out, int splits, int cols, boolean accumulate) {
        backend.launch(FINISH, Launch.overElements(cols), backend.args()
                .pointer(partial).pointer(backend.floats(out)).i32(splits).i32(cols).i32(accumulate ? 1 : 0));
    }
}
