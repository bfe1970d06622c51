package simil.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class DropoutTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    /** The fixture rebuilds our counter-based mask in Python, so this checks the mask function itself. */
    @Test
    void matchesPyTorchWithOurMask() {
        Golden g = Golden.load("dropout");
        Tensor x = g.tensor(be, "x");
        Tensor y = be.zeros(x.shape()), mask = be.zeros(x.shape()), dx = be.zeros(x.shape());
        be.random().keepMask(mask, g.floatParam("p"), Long.parseLong(g.param("seed")));
        be.tensors().multiply(x, mask, y);
        g.assertMatches("mask", mask);
        g.assertMatches("y", y);
        be.tensors().multiply(g.tensor(be, "dy"), mask, dx);
        g.assertMatches("dx", dx);
    }

    @Test
    void sameSeedSameMasksAndAFreshMaskEachCall() {
        Tensor x = be.zeros(16, 32);
        be.random().normal(x, 0, 1, 5);
        Dropout a = new Dropout(be, 0.5f, 7), b = new Dropout(be, 0.5f, 7);
        float[] first = be.toArray(a.forward(x, true));
        assertArrayEquals(first, be.toArray(b.forward(x, true)));
        float[] second = be.toArray(a.forward(x, true));
        assertFalse(Arrays.equals(first, second), "the second call draws a new mask");
        assertEquals(2, a.counter());
        b.setCounter(1);
        assertArrayEquals(second, be.toArray(b.forward(x, true)), "restoring the counter resumes the sequence");
        assertFalse(Arrays.equals(first, be.toArray(new Dropout(be, 0.5f, 8).forward(x, true))));
    }

    @Test
    void identityInEvaluation() {
        Tensor x = be.zeros(3, 4);
        be.random().normal(x, 0, 1, 6);
        Dropout d = new Dropout(be, 0.3f, 1);
        assertSame(x, d.forward(x, false));
        Tensor dy = be.zeros(3, 4);
        assertSame(dy, d.backward(dy));
        assertEquals(0, d.counter());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = be.zeros(6, 10);
        be.random().normal(x, 0, 1, 23);
        Dropout d = new Dropout(be, 0.4f, 3);
        // Replay the same mask at every probe.
        GradCheck.check(() -> {
            d.setCounter(0);
            return d.forward(x, true);
        }, d::backward, x, d.parameters(), 1e-2f, 1e-3);
        float[] mask = be.toArray(d.mask());
        int dropped = 0;
        for (float m : mask) if (m == 0f) dropped++;
        assertTrue(dropped > 0 && dropped < mask.length, "the checked mask drops some elements and keeps others");
    }
}
