package simil.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simil.testing.Folders.names;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.testing.SmallDisk;

/** A failed write of a report, plot or model file is one line naming the file, and leaves no temporary file. */
class AtomicFilesTest {
    @TempDir
    Path dir;


    @Test
    void aFullDiskSaysSoNamingTheFileAndKeepsTheOldVersion() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 256)) {
            Path report = dir.resolve("disk/eval/report.json");
            AtomicFiles.writeString(report, "{\"auc\": 0.7}\n");
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(report, out -> out.write(new byte[400_000])));
            assertEquals("no space left on device writing " + report + " (" + WriteFailure.megabytes(Files.getFileStore(report).getUsableSpace())
                    + " free)", e.getMessage());
            assertEquals("{\"auc\": 0.7}\n", Files.readString(report));
            assertEquals(List.of("report.json"), names(report.getParent()));
        }
    }

    @Test
    void anyOtherFailureNamesTheFileAndTheCause() throws IOException {
        Files.writeString(dir.resolve("plots"), "a file where a folder should be");
        Path plot = dir.resolve("plots/roc.png");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(plot, "png"));
        assertTrue(e.getMessage().startsWith("cannot write " + plot + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of("plots"), names(dir));
    }
}
