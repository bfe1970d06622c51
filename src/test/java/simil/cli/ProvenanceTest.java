package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.data.DataFingerprint;
import simil.io.BuildVersion;
import simil.tokenizer.VqVae;

/**
 * provenance.json: what made a run, written when it starts and left as it was by a resume; what made a tokenizer, and
 * what an imported model was imported from.
 */
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

        assertBuildCommandAndMachine(p, args);

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

    @Test
    void aTokenizerRecordsItsBuildMachineDataSplitsAndEverySettingOfTheFit() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 20);
        Path tokenizer = dir.resolve("tokenizer");
        String[] args = {"tokenizer", "train", "--kind", "vqvae", "--vocab", "8", "--patches", "1024", "--val-patches", "16", "--epochs", "1",
                "--data", zip.toString(), "--holdout", "1", "--val-per-class", "2", "--out", tokenizer.toString()};
        SimilProcess.Result fit = new SimilProcess(dir).run("tokenizer", args);
        assertEquals(0, fit.exitCode(), fit.err());
        JsonObject p = JsonParser.parseString(Files.readString(tokenizer.resolve("provenance.json"))).getAsJsonObject();
        assertBuildCommandAndMachine(p, args);

        // The archive as a training run's data.json would record it, with these split options.
        JsonObject data = p.getAsJsonObject("data");
        JsonObject expected = JsonParser.parseString(DataFingerprint.of(zip, null, null, 1, 2, 1).toJson()).getAsJsonObject();
        for (String key : expected.keySet()) assertEquals(expected.get(key), data.get(key), key);
        assertEquals(Files.size(zip), data.get("archiveBytes").getAsLong());

        JsonObject splits = p.getAsJsonObject("splits");
        assertEquals(34, splits.getAsJsonObject("train").get("images").getAsInt(), "the patches' images: 20 − 1 − 2 per class");
        assertEquals(4, splits.getAsJsonObject("validation").get("images").getAsInt());
        assertEquals("1 per class carved from train/", splits.getAsJsonObject("holdout").get("source").getAsString());

        JsonObject settings = p.getAsJsonObject("tokenizer");
        assertEquals("vqvae", settings.get("kind").getAsString());
        assertEquals(8, settings.get("vocabulary").getAsInt());
        assertEquals(1024, settings.get("patches").getAsInt());
        assertEquals(16, settings.get("val_patches").getAsInt());
        assertEquals(1, settings.get("epochs").getAsInt());
        assertEquals(1, settings.get("seed").getAsLong());
        assertEquals(1024, settings.get("batch").getAsInt());
        assertEquals(1e-3f, settings.get("lr").getAsFloat());
        assertEquals(new Gson().toJsonTree(VqVae.Config.standard(8)), settings.get("vqvae"), "the network's shape");
    }

    @Test
    void anImportRecordsItsBuildMachineTheFilesItReadAndItsSettings() throws Exception {
        Path weights = golden("model.safetensors"), config = golden("config.json"), preprocessor = dir.resolve("preprocessor_config.json");
        Files.writeString(preprocessor, "{\"image_mean\": [0.485, 0.456, 0.406], \"image_std\": [0.229, 0.224, 0.225]}");
        Path out = dir.resolve("imported");
        String[] args = {"import-hf", "--weights", weights.toString(), "--config", config.toString(), "--preprocessor", preprocessor.toString(),
                "--image-size", "16", "--seed", "3", "--out", out.toString()};
        InProcess.Outcome r = InProcess.simil(args);
        assertEquals(0, r.code(), r.err());
        JsonObject p = JsonParser.parseString(Files.readString(out.resolve("provenance.json"))).getAsJsonObject();
        assertBuildCommandAndMachine(p, args);

        JsonObject imported = p.getAsJsonObject("imported");
        assertEquals(List.of("weights", "config", "preprocessor"), List.copyOf(imported.keySet()));
        for (Path file : List.of(weights, config, preprocessor)) {
            String role = file == weights ? "weights" : file == config ? "config" : "preprocessor";
            JsonObject f = imported.getAsJsonObject(role);
            assertEquals(file.toAbsolutePath().toString(), f.get("path").getAsString(), role);
            assertEquals(Files.size(file), f.get("bytes").getAsLong(), role);
            assertEquals(sha256sum(file), f.get("sha256").getAsString(), role);
        }
        JsonObject settings = p.getAsJsonObject("import");
        assertEquals(16, settings.get("image_size").getAsInt());
        assertEquals(3, settings.get("seed").getAsLong());
        assertEquals(0.229f, settings.getAsJsonObject("normalization").getAsJsonArray("std").get(0).getAsFloat(), "the preprocessor's");

        // Without a preprocessor, it is recorded as none given, and the record is rewritten by the new import.
        InProcess.Outcome again = InProcess.simil("import-hf", "--weights", weights.toString(), "--config", config.toString(),
                "--image-size", "16", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        JsonObject second = JsonParser.parseString(Files.readString(out.resolve("provenance.json"))).getAsJsonObject();
        assertTrue(second.getAsJsonObject("imported").get("preprocessor").isJsonNull(), second.toString());
        assertEquals(0.5f, second.getAsJsonObject("import").getAsJsonObject("normalization").getAsJsonArray("std").get(0).getAsFloat());
    }

    /** The start every record shares: this build's version, the command as given, this JDK, the CPU device and OpenBLAS. */
    private static void assertBuildCommandAndMachine(JsonObject p, String[] args) {
        assertEquals(BuildVersion.get(), p.get("simil_version").getAsString());
        assertTrue(!BuildVersion.get().startsWith("unknown"), "the tests run on a Maven build");
        List<String> command = new ArrayList<>(List.of("simil"));
        command.addAll(List.of(args));
        JsonArray recorded = p.getAsJsonArray("command_line");
        assertEquals(command, recorded.asList().stream().map(e -> e.getAsString()).toList());
        assertEquals(System.getProperty("java.runtime.version"), p.getAsJsonObject("java").get("version").getAsString());
        assertTrue(!p.get("started").getAsString().isEmpty() && p.has("os"), p.toString());

        JsonObject device = p.getAsJsonObject("device");
        assertEquals("cpu", device.get("name").getAsString());
        assertTrue(device.get("openblas").getAsString().startsWith("OpenBLAS 0."), device.toString());
        assertTrue(List.of("avx512", "avx2", "generic").contains(device.get("isa").getAsString()), device.toString());
        assertTrue(!device.get("cpu").getAsString().isEmpty() && device.has("threads") && device.has("openblas_core"), device.toString());
    }

    /** What {@code sha256sum} prints for {@code file}, computed here independently of the code under test. */
    private static String sha256sum(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Path golden(String file) throws Exception {
        return Path.of(ProvenanceTest.class.getResource("/golden/beit_hf/" + file).toURI());
    }
}
