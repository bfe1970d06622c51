package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TensorOps#maskedRows}: a mask's non-zeros as a padded gather list and its count, against a host loop. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class MaskedRowsTest {
    @Parameter
    Backend be;

    @Test
    void listsTheNonZerosInRowMajorOrderPaddedWithZeros() {
        int b = 5, n = 13, stride = 14, offset = 1;
        int[] mask = new int[b * n];
        for (int i = 0; i < mask.length; i++) mask[i] = Rng.uniform(2, i) < 0.4f ? (i % 3 == 0 ? 7 : 1) : 0;
        mask[n] = 1; // the first patch of an image
        Arrays.fill(mask, 3 * n, 4 * n, 0); // an image without any
        int count = 0, capacity = 40;
        int[] rows = new int[capacity], valid = new int[capacity], flat = new int[capacity];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 0) continue;
            rows[count] = (i / n) * stride + offset + i % n;
            flat[count] = i;
            valid[count++] = 1;
        }
        assertTrue(count < capacity && count > 10, count + " non-zeros");
        Tensor rowsOut = be.fromIntArray(filled(capacity, -5), capacity), validOut = be.fromIntArray(filled(capacity, 9), capacity);
        Tensor countOut = be.fromArray(new float[] {-1}, 1);
        be.tensors().maskedRows(be.fromIntArray(mask, b, n), stride, offset, rowsOut, validOut, countOut);
        assertArrayEquals(rows, be.toIntArray(rowsOut), "rows, then zeros over what was there");
        assertArrayEquals(valid, be.toIntArray(validOut));
        assertEquals(count, be.toArray(countOut)[0]);

        // Exactly full, into views, without a count.
        Tensor rowsBlock = be.intZeros(count + 6), validBlock = be.intZeros(count + 6);
        be.tensors().maskedRows(be.fromIntArray(mask, b, n), n, 0, rowsBlock.slice(3, 3 + count), validBlock.slice(3, 3 + count), null);
        assertArrayEquals(Arrays.copyOf(flat, count), be.toIntArray(rowsBlock.slice(3, 3 + count)), "indices into [B, N]");
        assertArrayEquals(new int[3], Arrays.copyOf(be.toIntArray(validBlock), 3), "nothing written before the view");

        int tooFew = count - 1;
        Tensor maskIn = be.fromIntArray(mask, b, n), rowsIn = be.intZeros(tooFew), validIn = be.intZeros(tooFew);
        assertThrows(IllegalStateException.class, () -> {
            be.tensors().maskedRows(maskIn, n, 0, rowsIn, validIn, null);
            be.synchronize(); // a GPU finds it in the kernel and reports it here
        }, "more non-zeros than the capacity");
        be.synchronize(); // reported once
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }
}
