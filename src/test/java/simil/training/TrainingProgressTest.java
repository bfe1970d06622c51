package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;

/** Steps' losses, right predictions and prediction counts stay on the device until the progress line is due; the last step reads them all. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class TrainingProgressTest {
    @Parameter
    Backend be;

    @Test
    void theHostReadsOutcomesOnlyWhenTheLineIsDrawn() {
        try (StepOutcomes outcomes = new StepOutcomes(be, 4)) {
            TrainingProgress progress = new TrainingProgress(new PrintStream(new ByteArrayOutputStream()), "test", outcomes);
            for (int s = 0; s < 4; s++) {
                be.write(outcomes.row(s), new float[] {s + 1, s, s + 2});
                assertEquals(-1, progress.update(s, 2));
                if (s == 1) assertThrows(IllegalStateException.class, () -> outcomes.loss(1), "not read within half a second");
            }
            assertEquals(4f, outcomes.loss(3));
            assertEquals((1 * 2 + 2 * 3 + 3 * 4 + 4 * 5) / 14.0, progress.meanLoss(), 1e-12, "each step weighted by its count");
            assertEquals((0 + 1 + 2 + 3) / 14.0, progress.accuracy(), 1e-12);
            assertEquals(5, outcomes.count(3));
        }
    }

    @Test
    void aNonFiniteLossNamesItsStep() {
        try (StepOutcomes outcomes = new StepOutcomes(be, 3)) {
            TrainingProgress progress = new TrainingProgress(new PrintStream(new ByteArrayOutputStream()), "test", outcomes);
            be.write(outcomes.row(0), new float[] {0.5f, 1, 1});
            be.write(outcomes.row(1), new float[] {Float.NaN, 1, 1});
            be.write(outcomes.row(2), new float[] {Float.POSITIVE_INFINITY, 1, 1});
            progress.update(0, 1);
            progress.update(1, 1);
            assertEquals(1, progress.update(2, 1));
        }
    }
}
