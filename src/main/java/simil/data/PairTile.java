package simil.data;

/** A block of the all-pairs matrix: rows {@code [rowStart, rowEnd)} against columns {@code [colStart, colEnd)}, as positions in a split. */
public record PairTile(int rowStart, int rowEnd, int colStart, int colEnd) {
    /** Ordered pairs in the tile, leaving out the diagonal (an image with itself). */
    public long pairCount() {
        long overlap = Math.max(0, Math.min(rowEnd, colEnd) - Math.max(rowStart, colStart));
        return (long) (rowEnd - rowStart) * (colEnd - colStart) - overlap;
    }
}
