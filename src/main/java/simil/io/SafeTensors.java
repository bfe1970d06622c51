package simil.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. Reads F32 (and converts F16/BF16/F64
 * and I64/I32 to the engine's types, as published checkpoints use them); writes F32 and I32.
 *
 * <p>Integrity: writing keeps a CRC32C of each tensor's bytes in {@code __metadata__} ({@code "crc32c:NAME": "hex"},
 * strings as the format requires, so PyTorch's safetensors reads the file as before); reading verifies every one
 * and refuses a float tensor holding NaN or an infinity, each with one line naming the file and the tensor.
 * Files without checksums (older runs, published checkpoints) load with the finiteness check alone.
 */
public final class SafeTensors {
    /** The metadata key prefix of a tensor's checksum. */
    static final String CHECKSUM_PREFIX = "crc32c:";

    private SafeTensors() {}

    /** Receives a tensor's little-endian bytes in chunks. */
    @FunctionalInterface
    private interface ByteSink {
        void accept(byte[] bytes, int length) throws IOException;
    }

    /** One named array as stored: float data for float dtypes, int data for integer dtypes. */
    public record Entry(String name, int[] shape, float[] floats, int[] ints) {
        public static Entry of(String name, float[] data, int... shape) { return new Entry(name, shape, data, null); }
        public static Entry ofInts(String name, int[] data, int... shape) { return new Entry(name, shape, null, data); }
        public boolean isInt() { return ints != null; }
    }

    /** A loaded file: entries in header order plus the free-form {@code __metadata__} strings (checksums left out). */
    public record Contents(Map<String, Entry> entries, Map<String, String> metadata) {
        public Entry require(String name) {
            Entry e = entries.get(name);
            if (e == null) throw new CheckpointException("tensor '" + name + "' missing");
            return e;
        }
    }

    /** Writes the entries atomically (a temporary file beside {@code file}, then a rename), with a checksum per tensor. */
    public static void write(Path file, List<Entry> entries, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        if (metadata != null) metadata.forEach(meta::addProperty);
        for (Entry e : entries) {
            CRC32C crc = new CRC32C();
            writeData(e, (bytes, length) -> crc.update(bytes, 0, length));
            meta.addProperty(CHECKSUM_PREFIX + e.name, hex(crc.getValue()));
        }
        if (meta.size() > 0) header.add("__metadata__", meta);
        long offset = 0;
        for (Entry e : entries) {
            long bytes = 4L * (e.isInt() ? e.ints.length : e.floats.length);
            JsonObject t = new JsonObject();
            t.addProperty("dtype", e.isInt() ? "I32" : "F32");
            t.add("shape", new Gson().toJsonTree(e.shape));
            t.add("data_offsets", new Gson().toJsonTree(new long[] {offset, offset + bytes}));
            header.add(e.name, t);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format aligns the data start to 8 bytes with spaces
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (Entry e : entries) writeData(e, (bytes, length) -> out.write(bytes, 0, length));
        });
    }

    /** Hands {@code e}'s data as stored (little-endian) to {@code sink}. */
    private static void writeData(Entry e, ByteSink sink) throws IOException {
        int n = e.isInt() ? e.ints.length : e.floats.length;
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (e.isInt()) buf.putInt(e.ints[i]); else buf.putFloat(e.floats[i]);
            if (!buf.hasRemaining()) {
                sink.accept(buf.array(), buf.position());
                buf.clear();
            }
        }
        sink.accept(buf.array(), buf.position());
    }

    private static String hex(long crc) {
        return String.format("%08x", crc);
    }

    /** Reads a whole file, failing with a one-line {@link CheckpointException} on anything malformed. */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw corrupt(file, "shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > size - 8 || headerLen > 100_000_000) {
                throw corrupt(file, "bad header length " + headerLen);
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonObject header;
            try {
                header = JsonParser.parseString(new String(headerBuf.array(), StandardCharsets.UTF_8).trim()).getAsJsonObject();
            } catch (RuntimeException e) {
                throw corrupt(file, "header is not valid JSON");
            }
            long dataStart = 8 + headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, String> checksums = new LinkedHashMap<>();
            JsonElement meta = header.get("__metadata__");
            if (meta != null) {
                for (Map.Entry<String, JsonElement> m : meta.getAsJsonObject().entrySet()) {
                    String key = m.getKey();
                    if (key.startsWith(CHECKSUM_PREFIX)) checksums.put(key.substring(CHECKSUM_PREFIX.length()), m.getValue().getAsString());
                    else metadata.put(key, m.getValue().getAsString());
                }
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> kv : header.entrySet()) {
                if (kv.getKey().equals("__metadata__")) continue;
                String name = kv.getKey();
                if (!checksums.isEmpty() && !checksums.containsKey(name)) throw corrupt(file, "tensor '" + name + "' has no checksum, unlike the others");
                entries.put(name, readEntry(file, ch, name, kv.getValue().getAsJsonObject(), dataStart, size, checksums.get(name)));
            }
            for (String name : checksums.keySet()) {
                if (!entries.containsKey(name)) throw corrupt(file, "a checksum names tensor '" + name + "', which the header lacks");
            }
            return new Contents(entries, metadata);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such file");
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (IllegalStateException | UnsupportedOperationException | NullPointerException e) {
            throw corrupt(file, "malformed header");
        }
    }

    /** One tensor; {@code checksum} (hex CRC32C, or null when the file has none) must match its bytes. */
    private static Entry readEntry(Path file, FileChannel ch, String name, JsonObject t, long dataStart, long size, String checksum)
            throws IOException {
        String dtype = t.get("dtype").getAsString();
        List<Integer> dims = new ArrayList<>();
        t.getAsJsonArray("shape").forEach(d -> dims.add(d.getAsInt()));
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long count = 1;
        for (int d : shape) count *= d;
        long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
        long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
        int width = switch (dtype) {
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64", "I64" -> 8;
            default -> throw corrupt(file, "tensor '" + name + "' has unsupported dtype " + dtype);
        };
        if (end - begin != count * width) throw corrupt(file, "tensor '" + name + "' byte range does not match its shape");
        if (dataStart + end > size) throw corrupt(file, "truncated: tensor '" + name + "' runs past the end of the file");
        if (count > Integer.MAX_VALUE) throw corrupt(file, "tensor '" + name + "' too large");
        ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        buf.flip();
        if (checksum != null) {
            CRC32C crc = new CRC32C();
            crc.update(buf.duplicate());
            if (!hex(crc.getValue()).equals(checksum)) {
                throw corrupt(file, "tensor '" + name + "' fails its checksum: its bytes changed after it was written");
            }
        }
        int n = (int) count;
        switch (dtype) {
            case "I32", "I64" -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) v[i] = width == 4 ? buf.getInt() : Math.toIntExact(buf.getLong());
                return new Entry(name, shape, null, v);
            }
            default -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (dtype) {
                        case "F32" -> buf.getFloat();
                        case "F64" -> (float) buf.getDouble();
                        case "F16" -> halfToFloat(buf.getShort());
                        default -> Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16); // BF16
                    };
                    if (!Float.isFinite(v[i])) {
                        throw new CheckpointException(file + ": tensor '" + name + "' holds " + v[i] + " at element " + i
                                + " (non-finite weights would make every score NaN)");
                    }
                }
                return new Entry(name, shape, v, null);
            }
        }
    }

    /** IEEE 754 half precision to float (Float.float16ToFloat arrives only in Java 20). */
    static float halfToFloat(short half) {
        int h = half & 0xFFFF, sign = (h & 0x8000) << 16, exp = (h >>> 10) & 0x1F, mant = h & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        if (exp == 0) { // zero or subnormal: mant · 2^-24
            float v = mant * 0x1.0p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) throw new IOException("unexpected end of file");
        }
    }

    private static CheckpointException corrupt(Path file, String why) {
        return new CheckpointException(file + ": corrupt safetensors file (" + why + ")");
    }
}
