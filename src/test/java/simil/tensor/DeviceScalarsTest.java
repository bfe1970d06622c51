package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ops that keep a step's numbers on the device: right-prediction counts, the sum of squares, and the copies
 * in (from a staging buffer) and out (asynchronous, then synchronize) that bring inputs and scalars across.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class DeviceScalarsTest {
    @Parameter
    Backend be;

    @Test
    void argmaxMatchesCountTheFirstLargestLogitOfCountedRows() {
        Tensor logits = be.fromArray(new float[] {
                0, 3, 1,        // argmax 1
                2, 2, 1,        // a tie: the first, 0
                0, Float.NaN, 1, // NaN never beats a number: 2
                5, 1, 0},       // 0
                4, 3);
        Tensor targets = be.fromIntArray(new int[] {1, 0, 2, 2}, 4);
        Tensor out = be.zeros(1);
        be.losses().countArgmaxMatches(logits, targets, null, out);
        assertEquals(3f, be.toArray(out)[0]);
        be.losses().countArgmaxMatches(logits, targets, be.fromIntArray(new int[] {1, 0, 1, 1}, 4), out);
        assertEquals(2f, be.toArray(out)[0], "rows the mask leaves out do not count");
    }

    @Test
    void signMatchesCallSameAtAPositiveLogit() {
        Tensor logits = be.fromArray(new float[] {0.5f, -2f, 0f, 3f, Float.NaN}, 5);
        Tensor targets = be.fromArray(new float[] {1, 0, 1, 0, 0}, 5);
        Tensor out = be.zeros(1);
        be.losses().countSignMatches(logits, targets, out);
        assertEquals(3f, be.toArray(out)[0]);
    }

    @Test
    void lossesWriteTheirMeanIntoAOneElementTensor() {
        Tensor logits = be.fromArray(new float[] {0, 0}, 2), targets = be.fromArray(new float[] {1, 0}, 2);
        Tensor loss = be.zeros(1);
        be.losses().bceWithLogits(logits, targets, be.zeros(2), loss);
        assertEquals((float) Math.log(2), be.toArray(loss)[0], 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> be.losses().bceWithLogits(logits, targets, be.zeros(2), be.zeros(2)));
    }

    @Test
    void sumOfSquaresAccumulatesIntoItsTensor() {
        Tensor x = be.fromArray(new float[] {1, 2, 3}, 3), out = be.fromArray(new float[] {100}, 1);
        be.tensors().sumOfSquares(x, out, false);
        assertEquals(14f, be.toArray(out)[0]);
        be.tensors().sumOfSquares(x.slice(2, 3), out, true);
        assertEquals(23f, be.toArray(out)[0]);
        Tensor large = be.zeros(200_003);
        be.tensors().fill(large, 0.5f);
        be.tensors().sumOfSquares(large, out, false);
        assertEquals(50_000.75f, be.toArray(out)[0]);
    }

    @Test
    void normalizeChannelsAndGatherInts() {
        Tensor x = be.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2), out = be.zeros(2, 2, 2);
        be.tensors().normalizeChannels(x, be.fromArray(new float[] {1, 2}, 2), be.fromArray(new float[] {2, 0.5f}, 2), out);
        assertArrayEquals(new float[] {0, 2, 0.5f, 1, 8, 10, 2.5f, 3}, be.toArray(out));
        Tensor picked = be.intZeros(3);
        be.tensors().gatherInts(be.fromIntArray(new int[] {10, 11, 12, 13}, 4), be.fromIntArray(new int[] {3, 0, 3}, 3), picked);
        assertArrayEquals(new int[] {13, 10, 13}, be.toIntArray(picked));
        Tensor source = be.fromIntArray(new int[] {10, 11, 12, 13}, 4), outside = be.fromIntArray(new int[] {1, 4}, 2), two = be.intZeros(2);
        assertThrows(IndexOutOfBoundsException.class, () -> {
            be.tensors().gatherInts(source, outside, two);
            be.synchronize(); // where a GPU reports what its kernel found
        });
    }

    @Test
    void aBatchComesInFromTheStagingBufferAndScalarsGoOutAsynchronously() {
        StagingBuffer staging = be.stagingBuffer(6);
        assertEquals(6, staging.capacity());
        for (int i = 0; i < 6; i++) staging.floats().put(i, i + 0.5f);
        Tensor batch = be.zeros(2, 2);
        be.copyIn(staging, batch);
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, be.toArray(batch), "the first floats of the buffer");
        assertThrows(IllegalArgumentException.class, () -> be.copyIn(staging, be.zeros(7)));
        float[] host = new float[5];
        be.copyToHostAsync(batch.slice(1, 2), host, 3);
        be.synchronize();
        assertArrayEquals(new float[] {0, 0, 0, 2.5f, 3.5f}, host);
    }

    @Test
    void anAsynchronousCopyOutSurvivesHostReadsAndWritesBeforeTheSynchronize() {
        Tensor a = be.fromArray(new float[] {1, 2, 3}, 3), b = be.fromArray(new float[] {4, 5}, 2), c = be.zeros(2);
        Tensor ids = be.fromIntArray(new int[] {7, 8}, 2);
        float[] host = new float[3];
        be.copyToHostAsync(a, host, 0);
        assertArrayEquals(new float[] {4, 5}, be.toArray(b));
        assertArrayEquals(new int[] {7, 8}, be.toIntArray(ids));
        be.write(c, new float[] {6, 7});
        be.writeInts(ids, new int[] {9, 10});
        be.synchronize();
        assertArrayEquals(new float[] {1, 2, 3}, host, "the copy out, not what the host moved after it");
        assertArrayEquals(new float[] {6, 7}, be.toArray(c));
        assertArrayEquals(new int[] {9, 10}, be.toIntArray(ids));
    }
}
