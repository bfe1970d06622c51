package simil.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.io.CheckpointException;
import simil.io.SafeTensors;

class EmbeddingsFileTest {
    @TempDir
    Path dir;

    private static EmbeddingsFile.Contents contents(int[] labels) {
        return new EmbeddingsFile.Contents(List.of("a.jpg", "zip.zip!/x/b, \"quoted\".png", "ünï.jpg"), 2,
                new float[] {1f, -2f, 3.5f, 0f, 1e-7f, 42f}, labels, labels == null ? null : List.of("n01", "n02"),
                "matchnet", "runs/m", "ab".repeat(32), "images x");
    }

    @Test
    void roundTripsIdsEmbeddingsAndLabels() throws IOException {
        Path file = dir.resolve("e.safetensors");
        EmbeddingsFile.write(file, contents(new int[] {1, 0, 1}));
        EmbeddingsFile.Contents c = EmbeddingsFile.read(file);
        assertEquals(contents(null).ids(), c.ids());
        assertEquals(2, c.dimension());
        assertArrayEquals(contents(null).embeddings(), c.embeddings());
        assertArrayEquals(new int[] {1, 0, 1}, c.labels());
        assertEquals(List.of("n01", "n02"), c.classes());
        assertEquals("ab".repeat(32), c.modelSha256());
        assertEquals("matchnet", c.architecture());
        EmbeddingsFile.write(file, contents(null));
        assertNull(EmbeddingsFile.read(file).labels());
    }

    /** What PyTorch's safetensors insists on: 8-byte aligned data, every metadata value a string, contiguous F32/I32 tensors. */
    @Test
    void theFileIsPlainSafetensorsWithStringMetadata() throws IOException {
        Path file = dir.resolve("e.safetensors");
        EmbeddingsFile.write(file, contents(new int[] {1, 0, 1}));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8);
        JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        for (Map.Entry<String, JsonElement> m : header.getAsJsonObject("__metadata__").entrySet()) {
            assertTrue(m.getValue().isJsonPrimitive() && m.getValue().getAsJsonPrimitive().isString(), m.getKey() + " is not a string");
        }
        JsonObject embeddings = header.getAsJsonObject("embeddings"), labels = header.getAsJsonObject("labels");
        assertEquals("F32", embeddings.get("dtype").getAsString());
        assertEquals("[3,2]", embeddings.get("shape").toString());
        assertEquals("[0,24]", embeddings.get("data_offsets").toString());
        assertEquals("I32", labels.get("dtype").getAsString());
        assertEquals("[24,36]", labels.get("data_offsets").toString());
        assertEquals(8 + headerLength + 36, bytes.length);
        assertEquals("[\"a.jpg\",\"zip.zip!/x/b, \\\"quoted\\\".png\",\"ünï.jpg\"]",
                header.getAsJsonObject("__metadata__").get("ids").getAsString());
    }

    /**
     * PyTorch's own safetensors reads the file: where a Python with torch and safetensors is found ($SIMIL_PYTHON, else
     * python3; Debian's python3-torch has no safetensors: pip install safetensors in a venv made with
     * --system-site-packages), else skipped.
     */
    @Test
    void loadsInPytorchsSafetensors() throws Exception {
        String python = System.getenv().getOrDefault("SIMIL_PYTHON", "python3");
        assumeTrue(run(python, "-c", "import safetensors.torch, torch").exitValue() == 0, python + " has no torch and safetensors");
        Path file = dir.resolve("e.safetensors");
        EmbeddingsFile.write(file, contents(new int[] {1, 0, 1}));
        Process p = run(python, "-c", String.join("\n",
                "import json, sys",
                "from safetensors import safe_open",
                "from safetensors.torch import load_file",
                "t = load_file(sys.argv[1])",
                "with safe_open(sys.argv[1], 'pt') as f: meta = f.metadata()",
                "print(t['embeddings'].dtype, list(t['embeddings'].shape), t['embeddings'][2].tolist(), t['labels'].tolist(),",
                "      json.loads(meta['ids'])[2], meta['format'])"), file.toString());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        assertEquals("torch.float32 [3, 2] [1.0000000116860974e-07, 42.0] [1, 0, 1] ünï.jpg simil-embeddings", out);
    }

    private static Process run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.waitFor();
        return p;
    }

    @Test
    void aCheckpointOrAFileWithTheWrongIdCountIsRefusedInOneLine() throws IOException {
        Path other = dir.resolve("model.safetensors");
        SafeTensors.write(other, List.of(SafeTensors.Entry.of("w", new float[] {1f}, 1)), Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> EmbeddingsFile.read(other));
        assertEquals(other + ": not an embeddings file of simil embed (its metadata has no format \"simil-embeddings\")", e.getMessage());

        Path wrong = dir.resolve("wrong.safetensors");
        SafeTensors.write(wrong, List.of(SafeTensors.Entry.of("embeddings", new float[] {1f, 2f}, 2, 1)),
                Map.of("format", "simil-embeddings", "format_version", "1", "ids", "[\"a\"]"));
        e = assertThrows(CheckpointException.class, () -> EmbeddingsFile.read(wrong));
        assertEquals(wrong + ": 1 ids for 2 embeddings", e.getMessage());
    }
}
