package simil.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import simil.backend.cpu.CpuBackend;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.testing.Golden;

class GradClipTest {
    private final Backend be = CpuBackend.get();

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
