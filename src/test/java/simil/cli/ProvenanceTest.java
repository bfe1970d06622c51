package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.io.BuildVersion;

/** provenance.json: what made a run, written when it starts and left as it was by a resume. */
class ProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void aRunRecordsItsBuildMachineDataSplitsRecipeAndCommandOnce() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path run = dir.resolve("run");
        String[] args = {"train", "matchnet", "--recipe", "seed", "--data", zip.toString(), "--holdout", "1", "--val-per-class", "2",
                "--batch", "2", "--epochs", "1", "--out", run.toString()};
        SimilProcess simil = new SimilProcess(dir);
        SimilProcess.Result first = simil.run("first", args);
        assertEquals(0, first.exitCode(), first.err());
        String written = Files.readString(run.resolve("provenance.json"));
        JsonObject p = JsonParser.parseString(written).getAsJsonObject();

        assertEquals(BuildVersion.get(), p.get("simil_version").getAsString());
        assertTrue(!BuildVersion.get().startsWith("unknown"), "the tests run on a Maven build");
        List<String> command = new ArrayList<>(List.of("simil"));
        command.addAll(List.of(args));
        JsonArray recorded = p.getAsJsonArray("command_line");
        assertEquals(command, recorded.asList().stream().map(e -> e.getAsString()).toList());
        assertEquals(System.getProperty("java.runtime.version"), p.getAsJsonObject("java").get("version").getAsString());

        JsonObject device = p.getAsJsonObject("device");
        assertEquals("cpu", device.get("name").getAsString());
        assertTrue(device.get("openblas").getAsString().startsWith("OpenBLAS 0."), device.toString());
        assertTrue(List.of("avx512", "avx2", "generic").contains(device.get("isa").getAsString()), device.toString());
        assertTrue(!device.get("cpu").getAsString().isEmpty() && device.has("threads") && device.has("openblas_core"), device.toString());

        // The archive as data.json records it (path, size, SHA-256 of its listing), not a second digest.
        JsonObject data = p.getAsJsonObject("data");
        JsonObject dataJson = JsonParser.parseString(Files.readString(run.resolve("data.json"))).getAsJsonObject();
        for (String key : dataJson.keySet()) assertEquals(dataJson.get(key), data.get(key), key);
        assertEquals(Files.size(zip), data.get("archiveBytes").getAsLong());
        assertEquals(zip.toAbsolutePath().toString(), data.get("archive").getAsString());

        JsonObject splits = p.getAsJsonObject("splits");
        assertEquals("1 per class carved from train/", splits.getAsJsonObject("holdout").get("source").getAsString());
        assertEquals(2, splits.getAsJsonObject("holdout").get("images").getAsInt());
        assertEquals(8, splits.getAsJsonObject("train").get("images").getAsInt());
        assertEquals(false, splits.get("holdout_is_official_val").getAsBoolean());
        assertEquals(List.of(SyntheticTinyImageNet.wnid(0), SyntheticTinyImageNet.wnid(1)),
                splits.getAsJsonArray("class_wnids").asList().stream().map(e -> e.getAsString()).toList());
        assertEquals(JsonParser.parseString(Files.readString(run.resolve("recipe.json"))), p.get("recipe"), "the full recipe");

        // A resume (here with nothing left to train) leaves the record of the start as it was.
        List<String> resume = new ArrayList<>(List.of(args));
        resume.add("--resume");
        SimilProcess.Result again = simil.run("again", resume.toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(written, Files.readString(run.resolve("provenance.json")));
    }
}
