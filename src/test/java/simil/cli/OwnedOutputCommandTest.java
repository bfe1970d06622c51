package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.data.DataFingerprint;
import simil.io.RunDirectory;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.testing.Folders;
import simil.training.MimPretraining;
import simil.training.PretrainSettings;
import simil.training.TrainingRun;

/**
 * {@code --out} is owned: no command writes into a folder of the user's (its files survive byte for byte), and a
 * folder another simil process holds is refused with one line.
 */
class OwnedOutputCommandTest {
    @TempDir
    Path dir;

    @Test
    void noCommandWritesIntoAFolderOfTheUsers() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        for (String name : List.of("notes.txt", "config.json", "metrics.csv", "data.json")) Files.writeString(mine.resolve(name), "the user's " + name);
        Map<String, String> before = Folders.everyByte(mine);
        Path model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 16, 0.3f, false, 5)), model);
        String data = zip.toString(), out = mine.toString();

        Map<String, String[]> commands = new LinkedHashMap<>();
        commands.put("training run", new String[] {"train", "matchnet", "--recipe", "seed", "--data", data, "--holdout", "2", "--val-per-class", "2",
                "--batch", "2", "--epochs", "1", "--out", out});
        commands.put("sweep", new String[] {"sweep", "matchnet", "--recipe", "seed", "--data", data, "--holdout", "2", "--val-per-class", "2",
                "--batch", "2", "--epochs", "1", "--lr", "1e-3", "--out", out});
        commands.put("tokenizer", new String[] {"tokenizer", "train", "--kind", "kmeans", "--vocab", "4", "--patches", "16",
                "--val-patches", "4", "--epochs", "1", "--data", data, "--holdout", "2", "--val-per-class", "2", "--out", out});
        commands.put("imported model", new String[] {"import-hf", "--weights", golden("model.safetensors"), "--config",
                golden("config.json"), "--image-size", "16", "--out", out});
        commands.put("evaluation", new String[] {"eval", "--model", model.toString(), "--data", data, "--holdout", "2",
                "--val-per-class", "2", "--out", out});
        SimilProcess simil = new SimilProcess(dir);
        List<Process> children = new ArrayList<>();
        for (Map.Entry<String, String[]> c : commands.entrySet()) children.add(simil.start(name(c.getKey()), c.getValue()));
        int i = 0;
        for (String kind : commands.keySet()) {
            int code = children.get(i++).waitFor();
            String err = Files.readString(dir.resolve(name(kind) + ".err"));
            assertEquals(1, code, kind + ": " + err);
            assertEquals(List.of("simil: error: " + mine + " is not empty and not a simil " + kind + " (it holds config.json, data.json,"
                    + " metrics.csv, …); simil writes only into an empty folder or one of its own: choose another --out"),
                    err.lines().filter(l -> l.startsWith("simil: error:")).toList(), kind + ": " + err);
        }
        // simil pretrain makes the same check before it loads any data.
        PretrainSettings settings = new PretrainSettings("tiny", "tokenizer", 1, 2, 1e-3f, 0.05f, 1, 0, 0.4, false, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> MimPretraining.checkCanStart(mine, false, settings,
                DataFingerprint.of(zip, null, null, 2, 2, 1)));
        assertEquals(before, Folders.everyByte(mine), "the user's files, byte for byte, and nothing added");
    }

    @Test
    void aFolderAnotherProcessHoldsIsRefusedWithOneLine() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path run = dir.resolve("run");
        try (RunDirectory held = RunDirectory.claim(run, TrainingRun.KIND)) {
            SimilProcess.Result second = new SimilProcess(dir).run("second", "train", "matchnet", "--recipe", "seed", "--data", zip.toString(),
                    "--holdout", "2", "--val-per-class", "2", "--batch", "2", "--epochs", "1", "--out", run.toString());
            assertEquals(1, second.exitCode(), second.err());
            assertEquals(List.of("simil: error: " + run + " is in use by another simil process: wait for it to finish, or choose another --out"),
                    second.err().lines().filter(l -> l.startsWith("simil: error:")).toList(), second.err());
            assertTrue(second.err().lines().noneMatch(l -> l.startsWith("pairs 1/1")), "nothing trained: " + second.err());
            assertEquals(run, held.path());
        }
        assertEquals(List.of(RunDirectory.MARKER, RunDirectory.LOCK), Folders.names(run), "the refused writer wrote nothing");
    }

    private static String name(String kind) {
        return kind.replace(' ', '-');
    }

    private static String golden(String file) throws URISyntaxException {
        return Path.of(OwnedOutputCommandTest.class.getResource("/golden/beit_hf/" + file).toURI()).toString();
    }
}
