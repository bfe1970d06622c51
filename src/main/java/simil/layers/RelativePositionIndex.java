package simil.layers;

/**
 * BEiT's relative position index for a G×G patch grid with a CLS token in front (T = G² + 1 tokens):
 * patch pairs index one of (2G−1)² relative offsets; the three extra entries are CLS→patch,
 * patch→CLS and CLS→CLS, as in the transformers and timm implementations.
 */
public final class RelativePositionIndex {
    private RelativePositionIndex() {}

    /** Rows of the bias table for a G×G grid: (2G−1)² offsets plus the three CLS entries. */
    public static int tableSize(int grid) {
        return (2 * grid - 1) * (2 * grid - 1) + 3;
    }

    /** The [T, T] index, row-major: entry (i, j) is the table row whose bias query i adds to key j. */
    public static int[] compute(int grid) {
        if (grid < 1) throw new IllegalArgumentException("grid must be positive, got " + grid);
        int patches = grid * grid, tokens = patches + 1, span = 2 * grid - 1, offsets = span * span;
        int[] index = new int[tokens * tokens];
        for (int a = 0; a < patches; a++) {
            for (int b = 0; b < patches; b++) {
                int dRow = a / grid - b / grid + grid - 1, dCol = a % grid - b % grid + grid - 1;
                index[(a + 1) * tokens + b + 1] = dRow * span + dCol;
            }
        }
        for (int j = 1; j < tokens; j++) index[j] = offsets;              // CLS query → patch key
        for (int i = 1; i < tokens; i++) index[i * tokens] = offsets + 1; // patch query → CLS key
        index[0] = offsets + 2;                                            // CLS → CLS
        return index;
    }
}
