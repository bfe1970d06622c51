package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairGeneratorsTest {
    /** A split of store indices 1000.. with {@code perClass[c]} images of class c, interleaved. */
    private static Split split(int... perClass) {
        int n = 0;
        for (int k : perClass) n += k;
        int[] indices = new int[n];
        int[] labels = new int[n];
        int[] left = perClass.clone();
        for (int p = 0, c = 0; p < n; c = (c + 1) % perClass.length) {
            if (left[c] == 0) continue;
            left[c]--;
            indices[p] = 1000 + p;
            labels[p++] = c;
        }
        return new Split("test", indices, labels);
    }

    private static void assertLabelsAgree(Split split, PairList pairs) {
        Map<Integer, Integer> labelOf = new HashMap<>();
        for (int p = 0; p < split.size(); p++) labelOf.put(split.indices()[p], split.labels()[p]);
        for (int k = 0; k < pairs.size(); k++) {
            assertNotEquals(pairs.first()[k], pairs.second()[k], "image paired with itself");
            assertEquals(labelOf.get(pairs.first()[k]).equals(labelOf.get(pairs.second()[k])), pairs.same()[k]);
        }
    }

    @Test
    void samplerIsBalancedDeterministicAndChangesPerEpoch() {
        Split split = split(5, 1, 7, 3);
        BalancedPairSampler sampler = new BalancedPairSampler(split, 42);
        PairList epoch0 = sampler.epoch(0, 1001);
        assertEquals(1001, epoch0.size());
        assertEquals(500, epoch0.sameCount());
        assertLabelsAgree(split, epoch0);
        PairList again = new BalancedPairSampler(split, 42).epoch(0, 1001);
        assertArrayEquals(epoch0.first(), again.first());
        assertArrayEquals(epoch0.second(), again.second());
        assertArrayEquals(epoch0.same(), again.same());
        assertFalse(java.util.Arrays.equals(epoch0.first(), sampler.epoch(1, 1001).first()));
        assertFalse(java.util.Arrays.equals(epoch0.first(), new BalancedPairSampler(split, 43).epoch(0, 1001).first()));
    }

    @Test
    void samplerNeedsBothKindsOfPair() {
        assertThrows(IllegalArgumentException.class, () -> new BalancedPairSampler(split(1, 1, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> new BalancedPairSampler(split(4), 0));
    }

    @Test
    void evalPairsAreTheReferenceSizeBalancedDistinctAndReproducible() {
        int[] perClass = new int[200];
        java.util.Arrays.fill(perClass, 50);
        Split split = split(perClass);
        PairList pairs = BalancedEvalPairs.generate(split, BalancedEvalPairs.REFERENCE_COUNT, 7);
        assertEquals(50_000, pairs.size());
        assertEquals(25_000, pairs.sameCount());
        assertLabelsAgree(split, pairs);
        Set<Long> unordered = new HashSet<>();
        for (int k = 0; k < pairs.size(); k++) {
            long a = Math.min(pairs.first()[k], pairs.second()[k]);
            long b = Math.max(pairs.first()[k], pairs.second()[k]);
            assertTrue(unordered.add(a * 1_000_000 + b), "duplicate pair");
        }
        PairList again = BalancedEvalPairs.generate(split, BalancedEvalPairs.REFERENCE_COUNT, 7);
        assertArrayEquals(pairs.first(), again.first());
        assertArrayEquals(pairs.second(), again.second());
        assertFalse(java.util.Arrays.equals(pairs.first(), BalancedEvalPairs.generate(split, 50_000, 8).first()));
    }

    @Test
    void evalPairsRefuseAnImpossibleRequest() {
        assertThrows(IllegalArgumentException.class, () -> BalancedEvalPairs.generate(split(3, 3), 20, 1));
    }

    @Test
    void allOrderedPairCountsMatchTheFormulas() {
        int[] perClass = new int[200];
        java.util.Arrays.fill(perClass, 50);
        AllOrderedPairs holdout = new AllOrderedPairs(split(perClass));
        assertEquals(99_990_000L, holdout.total());
        assertEquals(490_000L, holdout.same());
        assertEquals(99_500_000L, holdout.different());

        AllOrderedPairs uneven = new AllOrderedPairs(split(4, 1, 6));
        assertEquals(11L * 10, uneven.total());
        assertEquals(4 * 3 + 6 * 5, uneven.same());
    }

    @Test
    void tilesCoverEveryOrderedPairOnceWithoutTheDiagonal() {
        Split split = split(4, 1, 6, 2);
        AllOrderedPairs all = new AllOrderedPairs(split);
        for (int side : new int[] {1, 3, 5, 13, 100}) {
            Set<Long> seen = new HashSet<>();
            long[] counted = new long[2];
            for (PairTile tile : all.tiles(side)) {
                long before = seen.size();
                all.forEach(tile, (row, col, same) -> {
                    assertNotEquals(row, col);
                    assertEquals(split.labels()[row] == split.labels()[col], same);
                    assertTrue(seen.add((long) row * split.size() + col), "pair visited twice");
                    counted[same ? 1 : 0]++;
                });
                assertEquals(tile.pairCount(), seen.size() - before);
            }
            assertEquals(all.total(), seen.size());
            assertEquals(all.same(), counted[1]);
            assertEquals(all.different(), counted[0]);
        }
    }
}
