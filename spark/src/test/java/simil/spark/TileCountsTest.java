package simil.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;

/** A tile's counts enter a total once, and travel sparse without losing a count. */
class TileCountsTest {
    private static ScoreHistogram.Counts counts(long seed) {
        long[] same = new long[ScoreBins.COUNT], different = new long[ScoreBins.COUNT];
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int k = 0; k < 1000; k++) {
            same[random.nextInt(ScoreBins.COUNT)] += random.nextLong(1, 1L << 40);
            different[random.nextInt(ScoreBins.COUNT)] += 1;
        }
        same[0] = 3;
        different[ScoreBins.COUNT - 1] = Long.MAX_VALUE / 4;
        return new ScoreHistogram.Counts(new float[] {0.5f, 0.25f}, same, different, new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 0);
    }

    @Test
    void mergingAddsDisjointTilesAndRefusesATileTwice() {
        TileCounts a = TileCounts.of(0, 10, counts(1)), b = TileCounts.of(3, 20, counts(2));
        TileCounts sum = a.merge(b);
        assertEquals(30, sum.pairs());
        BitSet tiles = new BitSet();
        tiles.set(0);
        tiles.set(3);
        assertEquals(tiles, sum.tiles());
        assertEquals(counts(1).same()[0] + counts(2).same()[0], sum.counts().same()[0]);
        assertEquals(16, sum.counts().confusion()[7]);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> sum.merge(TileCounts.of(3, 20, counts(2))));
        assertEquals("tile 3 counted twice", twice.getMessage());
        assertEquals(30, sum.pairs(), "a refused merge adds nothing");
    }

    @Test
    void countsTravelSparseAndComeBackWhole() throws IOException, ClassNotFoundException {
        TileCounts sent = TileCounts.of(7, 99, counts(5)).merge(TileCounts.of(2, 1, counts(6)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sent);
        }
        TileCounts received;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            received = (TileCounts) in.readObject();
        }
        assertEquals(sent.tiles(), received.tiles());
        assertEquals(sent.pairs(), received.pairs());
        assertArrayEquals(sent.counts().same(), received.counts().same());
        assertArrayEquals(sent.counts().different(), received.counts().different());
        assertArrayEquals(sent.counts().confusion(), received.counts().confusion());
        assertArrayEquals(sent.counts().thresholds(), received.counts().thresholds());
        assertEquals(true, bytes.size() < 40_000, "sparse: " + bytes.size() + " bytes for 4,000 bins");
    }
}
