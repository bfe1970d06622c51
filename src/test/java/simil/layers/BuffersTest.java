package simil.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** A buffer keeps its largest allocation: smaller batches are views of it, and only a larger one allocates. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class BuffersTest {
    @Parameter
    Backend be;

    @Test
    void aPartialBatchIsAViewOfTheFullOne() {
        Tensor full = Buffers.reuse(be, null, 4, 3);
        assertSame(full, Buffers.reuse(be, full, 4, 3));
        Tensor partial = Buffers.reuse(be, full, 2, 3);
        assertArrayEquals(new int[] {2, 3}, partial.shape());
        be.tensors().fill(partial, 7f);
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0}, be.toArray(full));
        Tensor again = Buffers.reuse(be, partial, 4, 3);
        assertArrayEquals(be.toArray(full), be.toArray(again), "the full batch again reuses the same storage");
    }

    @Test
    void aLargerBatchAllocatesAndGivesTheOldStorageBack() {
        Tensor small = Buffers.reuse(be, null, 2, 3);
        Tensor large = Buffers.reuse(be, small, (int) small.capacity() + 1);
        assertArrayEquals(new float[large.size()], be.toArray(large), "a new buffer holds zeros");
        assertThrows(IllegalStateException.class, () -> be.toArray(small));
    }

    @Test
    void intBuffersAlike() {
        Tensor ids = Buffers.reuseInts(be, null, 8);
        be.writeInts(ids, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertArrayEquals(new int[] {1, 2, 3}, be.toIntArray(Buffers.reuseInts(be, ids, 3)));
        assertThrows(IllegalArgumentException.class, () -> Buffers.reuse(be, ids, 8));
    }
}
