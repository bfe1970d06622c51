package simil.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.ConvOps.Pool2dShape;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackendAndIsa")
class MaxPool2dTest {
    private final Backend be;

    MaxPool2dTest(Backend be) {
        this.be = be;
    }

    /** Ties go to the first maximum; an all-negative border and plane prove padding never wins. */
    @Test
    void window3Stride2Padding1MatchesPyTorch() { matchesPyTorch("pool_k3_s2_p1"); }

    @Test
    void window2Stride2MatchesPyTorch() { matchesPyTorch("pool_k2_s2"); }

    private void matchesPyTorch(String fixture) {
        Golden g = Golden.load(fixture);
        MaxPool2d layer = new MaxPool2d(be, g.intParam("kernel"), g.intParam("stride"), g.intParam("padding"));
        for (int pass = 1; pass <= 2; pass++) { // the data gradient overwrites
            g.assertMatches("y", layer.forward(g.tensor(be, "x"), true));
            g.assertMatches("dx", layer.backward(g.tensor(be, "dy")));
        }
    }

    /** A y that is not the max pool of x has a window where no gradient can go: refused (on a GPU at the next synchronize). */
    @Test
    void aYThatIsNotTheMaxPoolOfXIsRefused() {
        Pool2dShape s = new Pool2dShape(1, 1, 4, 4, 2, 2, 0);
        Tensor x = be.zeros(1, 1, 4, 4), y = be.zeros(1, 1, 2, 2), dy = be.zeros(1, 1, 2, 2), dx = be.zeros(1, 1, 4, 4);
        be.random().normal(x, 0f, 1f, 3);
        be.conv().maxPoolForward(s, x, y);
        be.conv().maxPoolBackward(s, x, y, dy, dx);
        be.synchronize();
        be.write(y, new float[] {0f, 0f, 0f, 7f});
        assertThrows(IllegalStateException.class, () -> {
            be.conv().maxPoolBackward(s, x, y, dy, dx);
            be.synchronize();
        });
    }

    /** NaN wins its windows (as Math.max and PyTorch), wherever in the window it sits, edges included. */
    @Test
    void aNanMakesEveryWindowThatHoldsItNan() {
        for (int at : new int[] {0, 5, 10, 15}) {
            float[] v = new float[16];
            for (int i = 0; i < v.length; i++) v[i] = i;
            v[at] = Float.NaN;
            Tensor x = be.zeros(1, 1, 4, 4);
            be.write(x, v);
            float[] y = be.toArray(new MaxPool2d(be, 3, 2, 1).forward(x, false));
            int row = at / 4, col = at % 4;
            for (int oy = 0; oy < 2; oy++) {
                for (int ox = 0; ox < 2; ox++) {
                    boolean holds = Math.abs(2 * oy - row) <= 1 && Math.abs(2 * ox - col) <= 1;
                    assertEquals(holds, Float.isNaN(y[oy * 2 + ox]), "NaN at " + at + ", output " + oy + "," + ox);
                }
            }
        }
    }

    /** Distinct, well-separated values (a shuffled ramp) so that h never changes which element is the max. */
    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck.check(new MaxPool2d(be, 3, 2, 1), ramp(2, 3, 7, 6), 1e-2f, 1e-3);
        GradCheck.check(new MaxPool2d(be, 2, 2, 0), ramp(2, 2, 6, 8), 1e-2f, 1e-3);
    }

    private Tensor ramp(int... shape) {
        Tensor t = be.zeros(shape);
        float[] v = new float[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 37) % v.length) * 0.1f - v.length * 0.05f;
        be.write(t, v);
        return t;
    }
}
