package simil.spark;

import java.io.Serializable;
import simil.scoring.AllPairsScorer;

/**
 * How the pairs of R row images with C column images are cut into tiles, one per task: the rows into blocks of
 * {@code block} images and the columns likewise (the last block of each takes the rest), tile (a, b) the pairs of row
 * block a with column block b. Blocks start at multiples of {@link AllPairsScorer#BLOCK_ALIGNMENT}, so that every tile
 * computes what scoring the whole set would ({@link AllPairsScorer#scoreBlock}). For a set's pairs with itself under a
 * symmetric score ({@code upper}) only tiles with a ≤ b are scored, which cover every unordered pair.
 */
record TilePlan(int rows, int columns, int block, boolean upper) implements Serializable {
    /** The row and column block of one tile. */
    record Tile(int id, int rowBlock, int columnBlock) {}

    TilePlan {
        if (block < AllPairsScorer.BLOCK_ALIGNMENT || block % AllPairsScorer.BLOCK_ALIGNMENT != 0) {
            throw new IllegalArgumentException("--block " + block + ": must be a multiple of " + AllPairsScorer.BLOCK_ALIGNMENT);
        }
        if (upper && rows != columns) throw new IllegalArgumentException("upper tiles of " + rows + " × " + columns + " images");
    }

    int rowBlocks() { return blocks(rows); }

    int columnBlocks() { return blocks(columns); }

    private int blocks(int n) { return Math.max(1, (n + block - 1) / block); }

    /** Tiles to score. */
    int tiles() {
        int r = rowBlocks();
        return upper ? r * (r + 1) / 2 : r * columnBlocks();
    }

    /** Tile {@code id}, 0 ≤ id < {@link #tiles()}: row by row, in the upper triangle where that is all. */
    Tile tile(int id) {
        if (id < 0 || id >= tiles()) throw new IllegalArgumentException("tile " + id + " of " + tiles());
        if (!upper) return new Tile(id, id / columnBlocks(), id % columnBlocks());
        int a = 0, left = id, width = rowBlocks();
        while (left >= width) {
            left -= width;
            a++;
            width--;
        }
        return new Tile(id, a, a + left);
    }

    int rowStart(int b) { return b * block; }

    int rowEnd(int b) { return Math.min(rows, (b + 1) * block); }

    int columnStart(int b) { return b * block; }

    int columnEnd(int b) { return Math.min(columns, (b + 1) * block); }
}
