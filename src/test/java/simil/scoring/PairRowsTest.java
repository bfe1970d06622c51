package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.data.PairList;
import simil.tensor.Backend;

/** A pair list's store indices become rows of its split's embeddings, on the device, in the list's order. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class PairRowsTest {
    @Parameter
    Backend be;

    @Test
    void mapsStoreIndicesToEmbeddingRows() {
        int[] split = {7, 2, 9, 4};
        int[] rowOf = PairListScorer.rowsOf(split, 10);
        PairList pairs = new PairList(new int[] {9, 7, 4}, new int[] {2, 9, 7}, new boolean[] {true, false, false});
        try (PairRows rows = PairRows.of(be, pairs, rowOf)) {
            assertArrayEquals(new int[] {2, 0, 3}, be.toIntArray(rows.first()));
            assertArrayEquals(new int[] {1, 2, 0}, be.toIntArray(rows.second()));
            assertArrayEquals(new int[] {0, 3}, be.toIntArray(rows.first().slice(1, 3)), "a batch is a slice");
        }
    }
}
