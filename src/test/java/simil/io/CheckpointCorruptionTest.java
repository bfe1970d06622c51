package simil.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** Every way a checkpoint can be unusable ends in one {@link CheckpointException} line that says what is wrong. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class CheckpointCorruptionTest {
    @Parameter
    Backend be;

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

    /** Where the tensor data starts: after the 8-byte length and the header. */
    private static int dataStart(byte[] file) {
        return 8 + (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** A safetensors file as PyTorch writes it: no checksums in its metadata. */
    private static byte[] withoutChecksums(float[] weight, float[] bias) {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"layer.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"layer.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[24,36]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 36).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (float v : weight) b.putFloat(v);
        for (float v : bias) b.putFloat(v);
        return b.array();
    }

    @Test
    void aChangedByteInsideATensorFailsItsChecksum() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        bytes[dataStart(bytes) + 4] ^= 0x01; // the lowest mantissa bit of weight[1]: still a finite, plausible value
        Files.write(file, bytes);
        assertMentions(failure(file, tensors(2)), "corrupt", "'layer.weight'", "fails its checksum");
    }

    @Test
    void checksumsAreStringsInTheMetadataAndHiddenFromCallers() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 8, dataStart(bytes) - 8, StandardCharsets.UTF_8).trim();
        JsonObject meta = JsonParser.parseString(header).getAsJsonObject().getAsJsonObject("__metadata__");
        assertEquals(Set.of("architecture", "crc32c:layer.weight", "crc32c:layer.bias"), meta.keySet());
        for (String key : meta.keySet()) assertTrue(meta.get(key).getAsJsonPrimitive().isString(), key);
        assertEquals(Map.of("architecture", "test"), Checkpoint.load(file, tensors(2)));
    }

    @Test
    void aTensorWithoutAChecksumAmongOthersWithOneIsRefused() throws IOException {
        Path file = saved();
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).replace("crc32c:layer.bias", "crc32c:layer.bia_");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        assertMentions(failure(file, tensors(2)), "'layer.bias' has no checksum");
    }

    @Test
    void aFileWithoutChecksumsStillLoads() throws IOException {
        Path file = Files.write(dir.resolve("hf.safetensors"), withoutChecksums(new float[] {1, 2, 3, 4, 5, 6}, new float[] {7, 8, 9}));
        Map<String, Tensor> loaded = tensors(2);
        assertEquals(Map.of("format", "pt"), Checkpoint.load(file, loaded));
        assertArrayEquals(new float[] {7, 8, 9}, be.toArray(loaded.get("layer.bias")));
    }

    @Test
    void nonFiniteWeightsAreRefusedWithOrWithoutChecksums() throws IOException {
        Map<String, Tensor> t = tensors(2);
        be.write(t.get("layer.bias"), new float[] {1, Float.NaN, 3});
        Path file = dir.resolve("nan.safetensors");
        Checkpoint.save(file, t, Map.of());
        assertMentions(failure(file, tensors(2)), "'layer.bias'", "holds NaN at element 1");

        Path plain = Files.write(dir.resolve("inf.safetensors"),
                withoutChecksums(new float[] {1, 2, Float.NEGATIVE_INFINITY, 4, 5, 6}, new float[3]));
        assertMentions(failure(plain, tensors(2)), "'layer.weight'", "holds -Infinity at element 2");
    }

    @Test
    void missingFileIsReported() {
        assertMentions(failure(dir.resolve("absent.safetensors"), tensors(2)), "no such file");
    }
}
