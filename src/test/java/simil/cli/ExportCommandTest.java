package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.testing.Folders;

/** {@code simil export onnx}: the two files onnxruntime opens, again into its own folder, and one-line errors for bad input. */
class ExportCommandTest {
    @TempDir
    Path dir;

    private Path model;

    @BeforeEach
    void smallModel() throws IOException {
        model = dir.resolve("model");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 16, 0.3f, true, true, true, 5)), model);
    }

    @Test
    void writesATowerAndAMetricNetworkThatOnnxruntimeOpens() throws Exception {
        Path out = dir.resolve("onnx");
        InProcess.Outcome r = InProcess.simil("export", "onnx", "--model", model.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote " + out.resolve("tower.onnx") + "\nwrote " + out.resolve("metric.onnx"), r.out().strip());
        assertEquals(0, InProcess.simil("export", "onnx", "--model", model.toString(), "--out", out.toString()).code(), "again, over its own export");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession tower = env.createSession(out.resolve("tower.onnx").toString());
             OrtSession metric = env.createSession(out.resolve("metric.onnx").toString())) {
            assertEquals(List.of("images"), List.copyOf(tower.getInputNames()));
            assertEquals(List.of("embedding"), List.copyOf(tower.getOutputNames()));
            assertEquals(List.of("a", "b"), List.copyOf(metric.getInputNames()));
            assertEquals(List.of("logit", "probability"), List.copyOf(metric.getOutputNames()));
            assertEquals("true", tower.getMetadata().getCustomMetadata().get("flip_average"));
            assertEquals("true", metric.getMetadata().getCustomMetadata().get("symmetric_score"));
        }
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws IOException {
        Path file = dir.resolve("a-file"), folder = dir.resolve("photos");
        Files.writeString(file, "mine");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("cat.jpg"), "a cat");
        String[][] commands = {
                {"export", "tflite", "--model", model.toString(), "--out", dir.resolve("x").toString()},
                {"export", "onnx", "--model", dir.resolve("absent").toString(), "--out", dir.resolve("x").toString()},
                {"export", "onnx", "--model", model.toString(), "--out", file.toString()},
                {"export", "onnx", "--model", model.toString(), "--out", folder.toString()},
                {"export", "onnx", "--model", model.toString(), "--out", model.toString()},
                {"export", "onnx", "--model", model.toString(), "--out", dir.resolve("x").toString(), "--device", "cuda"},
        };
        String[] messages = {"FORMAT tflite: must be one of onnx", "is not a model directory (no config.json)",
                "is a file, not a folder", "is not empty and not a simil ONNX export (it holds cat.jpg)",
                "is not empty and not a simil ONNX export (it holds config.json, model.safetensors)", "--device cuda:"};
        for (int i = 0; i < commands.length; i++) {
            InProcess.Outcome r = InProcess.simil(commands[i]);
            assertEquals(1, r.code(), String.join(" ", commands[i]));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("simil: error: ") && r.err().contains(messages[i]), r.err());
        }
        assertFalse(Files.exists(dir.resolve("x")), "nothing written");
        assertEquals("mine", Files.readString(file));
        assertEquals(List.of("cat.jpg"), Folders.names(folder));
        InProcess.Outcome usage = InProcess.simil("export", "onnx", "--out", dir.resolve("x").toString());
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("--model") && usage.err().contains("try 'simil export --help'"), usage.err());
    }
}
