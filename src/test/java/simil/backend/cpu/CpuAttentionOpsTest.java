package simil.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The softmax's own exponential, over its whole domain (x ≤ 0). */
class CpuAttentionOpsTest {
    @Test
    void exponentialIsAccurateToFloatPrecision() {
        double worst = 0;
        for (int i = 0; i <= 1_000_000; i++) {
            float x = -87f * i / 1_000_000f;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(CpuAttentionOps.expNonPositive(x) - exact) / exact);
        }
        assertTrue(worst < 5e-7, "worst relative error " + worst);
        assertEquals(1f, CpuAttentionOps.expNonPositive(0f));
        assertEquals(0f, CpuAttentionOps.expNonPositive(-200f));
        assertEquals(0f, CpuAttentionOps.expNonPositive(Float.NEGATIVE_INFINITY));
    }
}
