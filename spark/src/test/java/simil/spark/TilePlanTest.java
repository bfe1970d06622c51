package simil.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tiles cover every pair of blocks once: all of them, or the upper triangle for a symmetric score. */
class TilePlanTest {
    @Test
    void theUpperTilesAreEveryPairOfBlocksOnce() {
        TilePlan plan = new TilePlan(1000, 1000, 256, true);
        assertEquals(4, plan.rowBlocks());
        assertEquals(10, plan.tiles());
        Set<String> seen = new HashSet<>();
        for (int id = 0; id < plan.tiles(); id++) {
            TilePlan.Tile t = plan.tile(id);
            assertTrue(t.rowBlock() <= t.columnBlock(), t.toString());
            assertTrue(seen.add(t.rowBlock() + "," + t.columnBlock()), t.toString());
        }
        assertEquals(768, plan.rowStart(3));
        assertEquals(1000, plan.rowEnd(3));
    }

    @Test
    void rowsAndColumnsOfTwoSetsMakeEveryTile() {
        TilePlan plan = new TilePlan(3, 600, 512, false);
        assertEquals(2, plan.tiles());
        assertEquals(new TilePlan.Tile(1, 0, 1), plan.tile(1));
        assertEquals(600, plan.columnEnd(1));
        assertEquals(3, plan.rowEnd(0));
        assertThrows(IllegalArgumentException.class, () -> new TilePlan(10, 10, 300, false));
    }
}
