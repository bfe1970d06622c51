package simil.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import simil.testing.Golden;

class RelativePositionIndexTest {
    @Test
    void matchesTheBeitAnchor() {
        Golden g3 = Golden.load("rel_index_g3");
        assertArrayEquals(g3.ints("index"), RelativePositionIndex.compute(3));
        assertEquals(g3.intParam("table_size"), RelativePositionIndex.tableSize(3));
        assertArrayEquals(Golden.load("mhsa").ints("index"), RelativePositionIndex.compute(2));
    }

    @Test
    void classTokenEntriesComeAfterTheOffsets() {
        int[] index = RelativePositionIndex.compute(8);
        int tokens = 65, offsets = 15 * 15;
        assertEquals(offsets + 3, RelativePositionIndex.tableSize(8));
        assertEquals(offsets + 2, index[0]);
        assertEquals(offsets, index[5]);
        assertEquals(offsets + 1, index[5 * tokens]);
        // A patch attending to itself sits at the centre offset (0, 0) → row (G−1)·(2G−1) + (G−1).
        assertEquals(7 * 15 + 7, index[10 * tokens + 10]);
    }
}
