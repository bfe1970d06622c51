package simil.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the posterior pair scores promise: probabilities, the mix's scale and its ends. */
class PosteriorScoreTest {
    @Test
    void aPosteriorScoreIsAProbability() {
        assertEquals(1f, PosteriorScore.of(Math.nextUp(1f)));
        assertEquals(0.25f, PosteriorScore.of(0.25f));
        assertTrue(Float.isNaN(PosteriorScore.of(Float.NaN)));
    }

    @Test
    void theMixAveragesLogOddsWithThePriorTakenOutOfQ() {
        float shift = PosteriorScore.priorShift(200);
        assertEquals((float) Math.log(199), shift);
        // A pair whose q is the prior 1/K has no evidence from the posteriors: the mix is the metric logit halved.
        for (float z : new float[] {-6f, -0.5f, 0f, 2f, 9f}) assertEquals(Sigmoid.of(z / 2), PosteriorScore.mixed(z, 1f / 200, shift), 1e-6f);
        assertEquals(0f, PosteriorScore.mixed(5f, 0f, shift), "q = 0: certainly different");
        assertEquals(1f, PosteriorScore.mixed(-5f, 1f, shift), "q = 1: certainly the same");
        assertEquals(1f, PosteriorScore.mixed(-5f, Math.nextUp(1f), shift));
        assertTrue(PosteriorScore.mixed(0f, 0.3f, shift) < PosteriorScore.mixed(0f, 0.6f, shift), "rising with q");
        assertTrue(PosteriorScore.mixed(-1f, 0.3f, shift) < PosteriorScore.mixed(1f, 0.3f, shift), "rising with the logit");
        assertTrue(Float.isNaN(PosteriorScore.mixed(Float.NaN, 0.3f, shift)));
        assertTrue(Float.isNaN(PosteriorScore.mixed(1f, Float.NaN, shift)));
        assertThrows(IllegalArgumentException.class, () -> PosteriorScore.priorShift(1));
    }
}
