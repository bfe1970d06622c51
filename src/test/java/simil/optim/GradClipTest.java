package simil.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.layers.Parameter;
import simil.layers.ParameterSet;
import simil.tensor.Backend;
import simil.testing.Golden;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class GradClipTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("clip_grad_norm");
        Parameter w = new Parameter(be, "w", true, 3, 5), b = new Parameter(be, "b", false, 5);
        g.copyInto("grad_weight", w.grad());
        g.copyInto("grad_bias", b.grad());
        double norm = GradClip.clip(List.of(w, b), g.floatParam("max_norm"));
        g.assertMatches("norm", be.fromArray(new float[] {(float) norm}, 1));
        g.assertMatches("clipped_weight", w.grad());
        g.assertMatches("clipped_bias", b.grad());
    }

    @Test
    void theNormRunsOverEveryBlock() {
        Parameter w = new Parameter(be, "w", true, 2), b = new Parameter(be, "b", false, 1);
        ParameterSet.pack(List.of(w));
        ParameterSet.pack(List.of(b));
        be.write(w.grad(), new float[] {3f, 0f});
        be.write(b.grad(), new float[] {4f});
        assertEquals(2, ParameterSet.ranges(List.of(w, b)).size());
        assertEquals(5.0, GradClip.clip(List.of(w, b), 1.0), 1e-6);
        Golden.assertClose("clipped to norm 1", new float[] {0.6f, 0f, 0.8f},
                new float[] {be.toArray(w.grad())[0], be.toArray(w.grad())[1], be.toArray(b.grad())[0]}, 1e-6);
    }

    @Test
    void leavesSmallGradientsAlone() {
        Parameter p = new Parameter(be, "p", true, 2);
        be.write(p.grad(), new float[] {0.3f, 0.4f});
        assertEquals(0.5, GradClip.clip(List.of(p), 1.0), 1e-7);
        Golden.assertClose("unclipped", new float[] {0.3f, 0.4f}, be.toArray(p.grad()), 0);
    }

    @Test
    void reportsANonFiniteNormWithoutScaling() {
        Parameter p = new Parameter(be, "p", true, 2);
        be.write(p.grad(), new float[] {Float.POSITIVE_INFINITY, 0.4f});
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clip(List.of(p), 1.0));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.4f}, be.toArray(p.grad()), "untouched");
    }
}
