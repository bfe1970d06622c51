package simil.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;
import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;

/**
 * The score histogram and confusion counts of some tiles of an all-pairs job, with the set of tiles they hold: what a
 * task returns for its tile and what the merge tree adds up. Each tile enters a total once: a merge of two counts that
 * share a tile is refused (it would count its pairs twice), and the driver checks that the total holds every tile of the
 * plan and every pair. A task that fails after counting part of its tile, and is run again, returns only the new
 * attempt's counts: Spark keeps one result per task, and nothing else of a failed attempt reaches the total.
 *
 * <p>Travels sparse: only the non-empty bins of the two {@link ScoreBins#COUNT}-bin histograms (37 MB dense), as gaps and
 * counts in variable-length bytes.
 */
final class TileCounts implements Serializable {
    private float[] thresholds;
    private BitSet tiles;
    private long pairs;
    private long[] same, different, confusion;
    private long invalid;

    private TileCounts(float[] thresholds, BitSet tiles, long pairs, long[] same, long[] different, long[] confusion, long invalid) {
        this.thresholds = thresholds;
        this.tiles = tiles;
        this.pairs = pairs;
        this.same = same;
        this.different = different;
        this.confusion = confusion;
        this.invalid = invalid;
    }

    /** The counts of one tile, {@code pairs} ordered pairs read back from its histogram. */
    static TileCounts of(int tile, long pairs, ScoreHistogram.Counts counts) {
        BitSet tiles = new BitSet();
        tiles.set(tile);
        return new TileCounts(counts.thresholds(), tiles, pairs, counts.same(), counts.different(), counts.confusion(), counts.invalid());
    }

    /** Adds {@code other}'s tiles into these (and returns these); refused when both hold a tile or the thresholds differ. */
    TileCounts merge(TileCounts other) {
        if (!Arrays.equals(thresholds, other.thresholds)) {
            throw new IllegalArgumentException("thresholds differ: " + Arrays.toString(thresholds) + " vs " + Arrays.toString(other.thresholds));
        }
        if (tiles.intersects(other.tiles)) {
            BitSet both = (BitSet) tiles.clone();
            both.and(other.tiles);
            throw new IllegalStateException("tile " + both.nextSetBit(0) + " counted twice");
        }
        tiles.or(other.tiles);
        pairs += other.pairs;
        addInto(same, other.same);
        addInto(different, other.different);
        addInto(confusion, other.confusion);
        invalid += other.invalid;
        return this;
    }

    /** The tiles counted. */
    BitSet tiles() { return (BitSet) tiles.clone(); }

    /** The ordered pairs counted. */
    long pairs() { return pairs; }

    /** What the engine's accumulators take ({@link simil.evaluation.ScoreAccumulator#add(ScoreHistogram.Counts)}). */
    ScoreHistogram.Counts counts() {
        return new ScoreHistogram.Counts(thresholds.clone(), same.clone(), different.clone(), confusion.clone(), invalid);
    }

    private static void addInto(long[] target, long[] source) {
        for (int i = 0; i < target.length; i++) target[i] += source[i];
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.writeObject(thresholds);
        out.writeObject(tiles);
        out.writeLong(pairs);
        out.writeObject(confusion);
        out.writeLong(invalid);
        writeSparse(out, same);
        writeSparse(out, different);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        thresholds = (float[]) in.readObject();
        tiles = (BitSet) in.readObject();
        pairs = in.readLong();
        confusion = (long[]) in.readObject();
        invalid = in.readLong();
        same = readSparse(in);
        different = readSparse(in);
    }

    /** The non-empty bins: their count, then for each the gap from the previous one and its count, as varints. */
    private static void writeSparse(ObjectOutputStream out, long[] bins) throws IOException {
        int nonEmpty = 0;
        for (long b : bins) if (b != 0) nonEmpty++;
        writeVarint(out, nonEmpty);
        int previous = -1;
        for (int i = 0; i < bins.length; i++) {
            if (bins[i] == 0) continue;
            writeVarint(out, i - previous);
            writeVarint(out, bins[i]);
            previous = i;
        }
    }

    private static long[] readSparse(ObjectInputStream in) throws IOException {
        long[] bins = new long[ScoreBins.COUNT];
        long nonEmpty = readVarint(in);
        int at = -1;
        for (long k = 0; k < nonEmpty; k++) {
            at += (int) readVarint(in);
            bins[at] = readVarint(in);
        }
        return bins;
    }

    private static void writeVarint(ObjectOutputStream out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readVarint(ObjectInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
