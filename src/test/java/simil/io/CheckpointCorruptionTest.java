package simil.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.cpu.CpuBackend;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Every way a checkpoint can be unusable ends in one {@link CheckpointException} line that says what is wrong. */
class CheckpointCorruptionTest {
    private final Backend be = CpuBackend.get();

    @TempDir
    Path dir;

    private Map<String, Tensor> tensors(int rows) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("layer.weight", be.fromArray(new float[rows * 3], rows, 3));
        t.put("layer.bias", be.fromArray(new float[] {1, 2, 3}, 3));
        return t;
    }

    private Path saved() throws IOException {
        Map<String, Tensor> t = tensors(2);
        be.write(t.get("layer.weight"), new float[] {1, 2, 3, 4, 5, 6});
        Path file = dir.resolve("model.safetensors");
        Checkpoint.save(file, t, Map.of("architecture", "test"));
        return file;
    }

    private static String failure(Path file, Map<String, Tensor> targets) {
        String message = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, targets)).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        return message;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
    }

    @Test
    void roundTripLoadsEveryValue() throws IOException {
        Map<String, Tensor> loaded = tensors(2);
        Map<String, String> meta = Checkpoint.load(saved(), loaded);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, be.toArray(loaded.get("layer.weight")));
        assertArrayEquals(new float[] {1, 2, 3}, be.toArray(loaded.get("layer.bias")));
        assertTrue(meta.get("architecture").equals("test"));
    }

    @Test
    void wrongShapeNamesTheTensorAndBothShapes() throws IOException {
        assertMentions(failure(saved(), tensors(4)), "'layer.weight'", "[2, 3]", "[4, 3]");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Map<String, Tensor> targets = tensors(2);
        targets.put("layer.scale", be.zeros(3));
        assertMentions(failure(saved(), targets), "missing", "'layer.scale'");
    }

    @Test
    void unexpectedTensorIsNamed() throws IOException {
        Map<String, Tensor> targets = tensors(2);
        targets.remove("layer.bias");
        assertMentions(failure(saved(), targets), "unexpected", "'layer.bias'");
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertMentions(failure(file, tensors(2)), "truncated");
        Files.write(file, Arrays.copyOf(bytes, 5));
        assertMentions(failure(file, tensors(2)), "corrupt");
    }

    @Test
    void badHeaderIsReported() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        bytes[8] = '#';
        Files.write(file, bytes);
        assertMentions(failure(file, tensors(2)), "not valid JSON");

        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(file, bytes);
        assertMentions(failure(file, tensors(2)), "bad header length");
    }

    @Test
    void wrongDtypeIsReported() throws IOException {
        Map<String, Tensor> ints = new LinkedHashMap<>();
        ints.put("layer.weight", be.fromIntArray(new int[6], 2, 3));
        ints.put("layer.bias", be.fromArray(new float[3], 3));
        Path file = dir.resolve("ints.safetensors");
        Checkpoint.save(file, ints, Map.of());
        assertMentions(failure(file, tensors(2)), "'layer.weight'", "wrong dtype");
    }

    @Test
    void unsupportedDtypeIsReported() throws IOException {
        Path file = saved();
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).replace("\"F32\"", "\"U8\" ");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        assertMentions(failure(file, tensors(2)), "unsupported dtype U8");
    }

    @Test
    void missingFileIsReported() {
        assertMentions(failure(dir.resolve("absent.safetensors"), tensors(2)), "no such file");
    }
}
