package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.evaluation.EvalReport;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;

class SweepCommandTest {
    @TempDir
    Path dir;

    @Test
    void sweepTrainsEvaluatesTabulatesAndPlotsEveryLearningRate() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 3, 7);
        Path out = dir.resolve("sweep");
        String[] args = {"sweep", "matchnet", "--recipe", "seed", "--data", zip.toString(), "--holdout", "2", "--val-per-class", "2",
                "--batch", "2", "--epochs", "1", "--lr", "1e-4,1e-3", "--out", out.toString()};
        SimilProcess simil = new SimilProcess(dir);
        SimilProcess.Result first = simil.run("sweep", args);
        assertEquals(0, first.exitCode(), first.err());

        for (String lr : List.of("0.0001", "0.001")) {
            Path run = out.resolve("lr-" + lr);
            assertTrue(Files.exists(run.resolve("model.safetensors")), run + " holds the trained model");
            EvalReport report = EvalReport.read(run.resolve("eval-holdout-balanced").resolve("report.json"));
            assertEquals("holdout", report.split());
            assertTrue(Files.exists(run.resolve("eval-holdout-balanced").resolve(DecisionThreshold.FILE)), "simil compare can use the chosen threshold");
            assertFalse(Files.exists(run.resolve(DecisionThreshold.FILE)), "eval writes nothing into the model directory");
        }
        assertTrue(Files.size(out.resolve("loss-accuracy.png")) > 1000);
        assertTrue(Files.size(out.resolve("roc.png")) > 1000);
        String table = Files.readString(out.resolve("sweep.md"));
        List<String> epochRows = table.lines().filter(l -> l.matches("\\| 0\\.00?01 \\| 1 \\|( [0-9.]+ \\|){4}")).toList();
        assertEquals(2, epochRows.size(), table);
        assertTrue(epochRows.get(0).startsWith("| 0.0001 |") && epochRows.get(1).startsWith("| 0.001 |"), table);
        assertEquals(2, table.lines().filter(l -> l.matches("\\| 0\\.00?01 \\| \\d+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|")).count(), table);

        // A rerun finds both runs finished: nothing is retrained, the table is the same.
        byte[] weights = Files.readAllBytes(out.resolve("lr-0.001").resolve("model.safetensors"));
        SimilProcess.Result again = simil.run("again", args);
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(table, Files.readString(out.resolve("sweep.md")));
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(out.resolve("lr-0.001").resolve("model.safetensors"))));
        assertTrue(!again.err().contains("pairs 1/1"), "no epoch was trained again: " + again.err());
    }

    /** The reference study's BEiT grid, shrunk: --batch and --weight-decay lists name the runs and add table columns. */
    @Test
    void beitSweepRunsTheGridOfBatchAndWeightDecay() throws Exception {
        BeitConfig small = new BeitConfig(64, 16, 16, 1, 2, 2, 0.1f, 0f, 1e-6f, true, 32, 8, 16, 0.3f, 4, false);
        Path pretrained = dir.resolve("pretrained");
        ModelFiles.save(new Beit(Backends.open("cpu"), small), pretrained);
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path out = dir.resolve("sweep");
        SimilProcess.Result result = new SimilProcess(dir).run("beit-sweep", "sweep", "beit", "--init", pretrained.toString(),
                "--data", zip.toString(), "--holdout", "2", "--val-per-class", "2", "--epochs", "1",
                "--lr", "5e-5", "--batch", "2,4", "--weight-decay", "0.01,0.05", "--out", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        for (String run : List.of("lr-0.00005-batch-2-wd-0.01", "lr-0.00005-batch-2-wd-0.05", "lr-0.00005-batch-4-wd-0.01",
                "lr-0.00005-batch-4-wd-0.05")) {
            assertTrue(Files.exists(out.resolve(run).resolve("eval-holdout-balanced").resolve("report.json")), run);
        }
        String table = Files.readString(out.resolve("sweep.md"));
        assertTrue(table.contains("| LR | Batch | WD | Epoch | Train loss |"), table);
        assertEquals(4, table.lines().filter(l -> l.matches("\\| 0\\.00005 \\| [24] \\| 0\\.0[15] \\| 1 \\|( [0-9.]+ \\|){4}")).count(), table);
    }
}
