package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Closing a tensor gives its storage back: every tensor over that storage fails at its next use, and views stay inside it. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class TensorLifetimeTest {
    @Parameter
    Backend be;

    @Test
    void aClosedTensorAndItsViewsFailAtTheirNextUse() {
        Tensor t = be.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = t.slice(1, 2), flat = t.reshape(6);
        t.close();
        assertThrows(IllegalStateException.class, () -> be.toArray(t));
        assertThrows(IllegalStateException.class, () -> be.toArray(row));
        assertThrows(IllegalStateException.class, () -> be.tensors().fill(flat, 0f));
        t.close(); // a second close does nothing
        flat.close();
    }

    @Test
    void aViewSharesTheStorageUpToItsCapacity() {
        Tensor t = be.zeros(4, 3);
        assertTrue(t.capacity() >= 12, "capacity " + t.capacity());
        Tensor small = t.view(2, 3);
        be.write(small, new float[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0}, be.toArray(t));
        assertThrows(IllegalArgumentException.class, () -> t.view((int) t.capacity() + 1));
        assertThrows(IllegalArgumentException.class, () -> t.slice(2, 4).view((int) t.capacity()));
    }

    @Test
    void intTensorsCloseAlike() {
        Tensor ids = be.fromIntArray(new int[] {3, 1, 2}, 3);
        ids.close();
        assertThrows(IllegalStateException.class, () -> be.toIntArray(ids));
    }
}
