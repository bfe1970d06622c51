package simil.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Every ordered pair (i, j), i != j, of a split, labelled same when the classes match; streamed tile by tile for blocked
 * scoring, never stored. Counts: total n(n-1), same sum over classes of n_c(n_c-1).
 */
public final class AllOrderedPairs {
    /** Receives one pair: positions in the split (map through {@code split.indices()} for store indices). */
    @FunctionalInterface
    public interface PairVisitor {
        /** Called once per ordered pair of the tile. */
        void accept(int row, int col, boolean same);
    }

    private final Split split;

    /** The all-pairs view of {@code split}. */
    public AllOrderedPairs(Split split) {
        this.split = split;
    }

    /** The split the positions refer to. */
    public Split split() {
        return split;
    }

    /** n(n-1). */
    public long total() {
        long n = split.size();
        return n * (n - 1);
    }

    /** Sum over classes of n_c(n_c-1). */
    public long same() {
        long same = 0;
        for (long count : split.classCounts()) same += count * (count - 1);
        return same;
    }

    /** total() - same(). */
    public long different() {
        return total() - same();
    }

    /** Tiles of at most {@code side x side} covering the whole matrix, row-block by row-block. */
    public Iterable<PairTile> tiles(int side) {
        if (side < 1) throw new IllegalArgumentException("tile side must be positive: " + side);
        int n = split.size();
        return () -> new Iterator<>() {
            private int row = 0;
            private int col = 0;

            @Override
            public boolean hasNext() {
                return row < n;
            }

            @Override
            public PairTile next() {
                if (!hasNext()) throw new NoSuchElementException();
                PairTile tile = new PairTile(row, Math.min(n, row + side), col, Math.min(n, col + side));
                col += side;
                if (col >= n) {
                    col = 0;
                    row += side;
                }
                return tile;
            }
        };
    }

    /** Visits every ordered pair of {@code tile}, skipping the diagonal. */
    public void forEach(PairTile tile, PairVisitor visitor) {
        int[] labels = split.labels();
        for (int r = tile.rowStart(); r < tile.rowEnd(); r++) {
            for (int c = tile.colStart(); c < tile.colEnd(); c++) {
                if (r != c) visitor.accept(r, c, labels[r] == labels[c]);
            }
        }
    }
}
