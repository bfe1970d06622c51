package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.cuda.CudaBackend;
import simil.parity.ParityCase;
import simil.parity.ParitySuite;

/** {@code simil device-check}: one line where no GPU is usable; the device's details, one table and a summary where it runs. */
class DeviceCheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutAUsableGpuItIsTheOneLineOfDevice() {
        assumeTrue(CudaBackend.devices().isEmpty(), "skipped: this machine has a usable GPU");
        Path out = dir.resolve("check.json");
        InProcess.Outcome r = InProcess.simil("device-check", "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().matches("simil: error: --device cuda: no usable GPU: [^\\n]+ \\(devices here: cpu\\)\n"), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void aNegativeStepCountIsRefused() {
        InProcess.Outcome r = InProcess.simil("device-check", "--device", "cpu", "--steps", "-1");
        assertEquals(1, r.code());
        assertEquals("simil: error: --steps -1: must be 0 or more\n", r.err());
    }

    /** The CPU checked against itself: every row within tolerance, each op named in one table, the JSON with them all. */
    @Test
    void theCpuAgainstItselfIsInParityInOneTable() throws IOException {
        Path out = dir.resolve("check.json");
        InProcess.Outcome r = InProcess.simil("device-check", "--device", "cpu", "--steps", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("device:    cpu"), r.out());
        assertTrue(r.out().contains("\nop "), r.out());
        int rows = ParitySuite.cases().size() + 3;
        for (ParityCase c : ParitySuite.cases()) assertTrue(r.out().contains("\n" + c.name() + " "), c.name() + " missing: " + r.out());
        assertTrue(r.out().contains("\nmatchnet.lateLoss (mean of steps 2-2) "), r.out());
        // Of rows within tolerance; int8 pair scoring is skipped on a CPU without an int8 kernel.
        assertTrue(r.out().matches("(?s).*\nin parity: \\d+ of " + rows + " within tolerance, 0 failed(, 1 skipped)? against cpu .*"), r.out());
        JsonObject json = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals(rows, json.getAsJsonArray("results").size());
        assertEquals(3, json.getAsJsonObject("matchnet").getAsJsonArray("candidate_losses").size());
    }
}
