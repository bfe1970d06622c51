package simil.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steps.jsonl: one JSON object per step; a resume cuts it back to what the checkpoint committed. */
class StepLogTest {
    @TempDir
    Path dir;

    @Test
    void aResumeCutsTheStepsAfterTheCheckpointAndAFreshStartBeginsAnew() throws Exception {
        long committed;
        try (StepLog log = StepLog.start(dir)) {
            log.write("pairs", 1, 0, 0, 0.69f, 0.5, 1e-4f, 120.0, 0.5);
            committed = log.length();
            // Logged after the checkpoint, then killed: these go.
            log.write("pairs", 2, 0, 1, 0.68f, 0.5, 1e-4f, 121.0, 1.0);
            log.write("pairs", 2, 1, 2, Float.NaN, Double.NaN, 1e-4f, 122.0, 1.5);
        }
        List<String> lines = Files.readAllLines(dir.resolve(StepLog.FILE));
        assertEquals(3, lines.size());
        JsonObject nan = JsonParser.parseString(lines.get(2)).getAsJsonObject();
        assertTrue(nan.get("loss").isJsonNull() && nan.get("accuracy").isJsonNull(), "a loss that is not finite is null: " + nan);
        assertEquals(1e-4f, nan.get("lr").getAsFloat());

        try (StepLog resumed = StepLog.resumeAt(dir, committed)) {
            resumed.write("pairs", 2, 0, 1, 0.67f, 0.5, 1e-4f, 119.0, 1.1);
        }
        List<String> after = Files.readAllLines(dir.resolve(StepLog.FILE));
        assertEquals(List.of(lines.get(0)), after.subList(0, 1));
        assertEquals(2, after.size());
        assertEquals(0.67f, JsonParser.parseString(after.get(1)).getAsJsonObject().get("loss").getAsFloat());

        // A checkpoint from before runs kept a log: the log, whatever it holds, goes on.
        try (StepLog old = StepLog.resumeAt(dir, null)) {
            old.write("pairs", 3, 0, 2, 0.66f, 0.5, 1e-4f, 118.0, 2.0);
        }
        assertEquals(3, Files.readAllLines(dir.resolve(StepLog.FILE)).size());
        try (StepLog fresh = StepLog.start(dir)) {
            assertEquals(0, fresh.length());
        }
    }
}
