package simil.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import simil.testing.Golden;

class WarmupCosineTest {
    /** Against torch.optim.lr_scheduler.LambdaLR stepping the same schedule, past its end. */
    @Test
    void matchesPyTorch() {
        Golden g = Golden.load("warmup_cosine");
        WarmupCosine schedule = new WarmupCosine(g.floatParam("peak"), g.intParam("warmup"), g.intParam("total"),
                g.floatParam("floor"));
        float[] expected = g.floats("lr");
        float[] actual = new float[expected.length];
        for (int step = 0; step < actual.length; step++) actual[step] = schedule.at(step);
        Golden.assertClose("lr", expected, actual, Golden.TOLERANCE);
    }

    @Test
    void shape() {
        WarmupCosine s = new WarmupCosine(1f, 10, 110, 0.1f);
        assertEquals(0f, s.at(0));
        assertEquals(0.5f, s.at(5), 1e-7);
        assertEquals(1f, s.at(10), 1e-7);
        assertEquals(0.55f, s.at(60), 1e-6);
        assertEquals(0.1f, s.at(110), 1e-7);
        assertEquals(0.1f, s.at(1_000_000), 1e-7);
        assertEquals(3e-4f, new ConstantLr(3e-4f).at(12345));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1f, 20, 10, 0f));
    }
}
