package simil.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class FlattenTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void flattensEachImageAndRestoresTheGradientShape() {
        float[] values = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < values.length; i++) values[i] = i;
        Flatten flatten = new Flatten();
        Tensor y = flatten.forward(be.fromArray(values, 2, 3, 2, 2), true);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertArrayEquals(values, be.toArray(y));
        Tensor dx = flatten.backward(be.fromArray(values, 2, 12));
        assertArrayEquals(new int[] {2, 3, 2, 2}, dx.shape());
        assertArrayEquals(values, be.toArray(dx));
    }
}
