package simil.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.optim.Adam;
import simil.tensor.Tensor;

/** A time budget is a ceiling: no epoch starts that would, at the pace of the phase's last one, end past it. */
class TimeBudgetTest {
    private static final long EPOCH_MILLIS = 400;
    private static final float BUDGET_SECONDS = 1.0f;

    @TempDir
    Path dir;

    @Test
    void theLastEpochEndsWithinTheBudget() throws IOException {
        ByteArrayLog log = new ByteArrayLog();
        CheckpointedEpochs epochs = new CheckpointedEpochs(nothingToSave(), dir, log.stream, BUDGET_SECONDS / 60);
        epochs.begin(false, "settings.json", "{}", saved -> true);
        epochs.runPhase(0, new SleepingPhase(10), 0, 1e-3);

        var state = JsonParser.parseString(Files.readString(dir.resolve("checkpoint").resolve("state.json"))).getAsJsonObject();
        int done = state.get("epochs_done").getAsInt();
        double seconds = state.get("seconds").getAsDouble();
        assertTrue(done >= 1 && done < 10, "epochs done: " + done);
        assertTrue(seconds <= BUDGET_SECONDS, "training ran " + seconds + " s of a " + BUDGET_SECONDS + " s budget");
        assertTrue(log.text().contains("would pass it; it stops after " + done + " of 10 epochs"), log.text());
    }

    private static Trainable nothingToSave() {
        return new Trainable() {
            @Override public Map<String, Tensor> stateTensors() { return Map.of(); }
            @Override public void save(Path dir) throws IOException { Files.createDirectories(dir); }
            @Override public void restoreRandomStep(long step) {}
        };
    }

    /** One step per epoch, which sleeps. */
    private record SleepingPhase(int epochs) implements Phase {
        @Override public String name() { return "sleep"; }
        @Override public int stepsPerEpoch() { return 1; }
        @Override public int imagesPerStep() { return 1; }
        @Override public void beginEpoch(int epoch) {}
        @Override public StepResult step(int epoch, int stepInEpoch, float lr) {
            try {
                Thread.sleep(EPOCH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StepResult(0.5, 1, 1);
        }
        @Override public StepResult validate() { return new StepResult(0.5, 1, 1); }
        @Override public float lrAt(long step) { return 1e-3f; }
        @Override public Adam optimizer() { return Adam.adam(List.of(), 0f); }
        @Override public Map<String, Tensor> extraState() { return Map.of(); }
    }

    private static final class ByteArrayLog {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true);
        String text() { return bytes.toString(); }
    }
}
