package simil.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.testing.Folders;

/**
 * An output folder is owned: one writer at a time (a second, here another thread, is refused with one line while the
 * first holds it), never a folder of the user's or of another kind of output, and what killed writes left is removed.
 */
class RunDirectoryTest {
    private static final RunDirectory.Kind TRAIN = new RunDirectory.Kind("training run", "recipe.json");
    private static final RunDirectory.Kind TOKENIZER = new RunDirectory.Kind("tokenizer", "tokenizer.json");

    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedWhileTheFirstHoldsTheFolder() throws Exception {
        Path out = dir.resolve("run");
        try (RunDirectory first = RunDirectory.claim(out, TRAIN)) {
            assertEquals(out, first.path());
            Exception e = claimInAnotherThread(out);
            assertTrue(e instanceof IllegalStateException, String.valueOf(e));
            assertEquals(out + " is in use by another simil process: wait for it to finish, or choose another --out", e.getMessage());
        }
        assertEquals(null, claimInAnotherThread(out), "released, the folder is the next writer's");
    }

    @Test
    void aFolderOfTheUsersIsRefusedAndLeftAsItWas() throws IOException {
        Path out = dir.resolve("mine");
        Files.createDirectories(out);
        for (String name : List.of("notes.txt", "config.json", "metrics.csv", "data.json")) Files.writeString(out.resolve(name), "the user's " + name);
        Map<String, String> before = Folders.everyByte(out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.claim(out, TRAIN));
        assertEquals(out + " is not empty and not a simil training run (it holds config.json, data.json, metrics.csv, …); simil writes"
                + " only into an empty folder or one of its own: choose another --out", e.getMessage());
        assertEquals(before, Folders.everyByte(out), "nothing written, nothing removed");
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.checkOwnable(out, TRAIN));
        assertEquals(before, Folders.everyByte(out));
    }

    @Test
    void anOutputOfAnotherKindIsRefused() throws IOException {
        Path out = dir.resolve("tokenizer");
        RunDirectory.claim(out, TOKENIZER).close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.claim(out, TRAIN));
        assertEquals(out + " holds a simil tokenizer, not a training run: choose another --out", e.getMessage());
        RunDirectory.claim(out, TOKENIZER).close();
    }

    @Test
    void aRunMadeBeforeMarkersIsRecognizedByItsSignatureFile() throws IOException {
        Path out = dir.resolve("old-run");
        Files.createDirectories(out);
        Files.writeString(out.resolve("recipe.json"), "{}");
        Files.writeString(out.resolve("metrics.csv"), "epoch\n");
        RunDirectory.claim(out, TRAIN).close();
        assertTrue(Files.readString(out.resolve(RunDirectory.MARKER)).contains("\"training run\""));
    }

    @Test
    void claimingRemovesWhatKilledWritesLeftAndNothingElse() throws IOException {
        Path out = dir.resolve("run");
        RunDirectory.claim(out, TRAIN).close();
        Files.writeString(out.resolve(".model.safetensors8230911452.tmp"), "half a model");
        Files.writeString(out.resolve(".metrics.csv17.tmp"), "half a table");
        Files.writeString(out.resolve("notes.tmp"), "the user's");
        RunDirectory.claim(out, TRAIN).close();
        assertEquals(List.of(RunDirectory.MARKER, RunDirectory.LOCK, "notes.tmp"), Folders.names(out));
    }

    /** What claiming {@code out} in another thread throws; null when it gets the folder (released at once). */
    private static Exception claimInAnotherThread(Path out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try (RunDirectory claimed = RunDirectory.claim(out, TRAIN)) {
                return claimed.path().equals(out) ? null : new IllegalStateException("claimed " + claimed.path());
            } catch (IOException | RuntimeException e) {
                return e;
            }
        }).get();
    }
}
