package simil.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images in a fatbin as nvcc writes it with --no-compress (there is no cuobjdump on a machine without a GPU):
 * one or more containers (magic 0xBA55ED50, a 16-byte header whose last field is the size of what follows), each a
 * run of entries whose header gives their kind (1: PTX text, 2: an ELF cubin), their header's and payload's sizes
 * and, 28 bytes in, the architecture (90 for sm_90 or compute_90).
 */
record Fatbin(List<Image> images) {
    static final int MAGIC = 0xBA55ED50;

    /** One entry: PTX or a cubin, for one architecture. */
    record Image(boolean ptx, int arch, byte[] payload) {
        /** The kernels PTX declares ({@code .entry name(}), or a cubin holds code for ({@code .text.name}). */
        Set<String> kernels() {
            Set<String> names = new LinkedHashSet<>();
            String text = new String(payload, StandardCharsets.ISO_8859_1);
            Matcher m = (ptx ? PTX_ENTRY : CUBIN_TEXT).matcher(text);
            while (m.find()) names.add(m.group(1));
            return names;
        }

        @Override public String toString() { return (ptx ? "compute_" : "sm_") + arch; }
    }

    private static final Pattern PTX_ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_][\\w$]*)\\s*\\(");
    private static final Pattern CUBIN_TEXT = Pattern.compile("\\.text\\.([A-Za-z_][\\w$]*)\0");

    static Fatbin parse(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Image> images = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            if (in.getInt(at) != MAGIC) throw new IllegalArgumentException("no fatbin magic at byte " + at);
            int headerSize = Short.toUnsignedInt(in.getShort(at + 6));
            long size = in.getLong(at + 8);
            int entry = at + headerSize;
            int end = Math.toIntExact(entry + size);
            while (entry < end) {
                int kind = Short.toUnsignedInt(in.getShort(entry));
                int entryHeader = in.getInt(entry + 4);
                int payloadSize = Math.toIntExact(in.getLong(entry + 8));
                int arch = in.getInt(entry + 28);
                byte[] payload = Arrays.copyOfRange(bytes, entry + entryHeader, entry + entryHeader + payloadSize);
                if (kind == 2 && !(payload[0] == 0x7f && payload[1] == 'E' && payload[2] == 'L' && payload[3] == 'F')) {
                    throw new IllegalArgumentException("cubin for sm_" + arch + " is not ELF (compressed? build with --no-compress)");
                }
                if (kind == 1 && !new String(payload, StandardCharsets.ISO_8859_1).contains(".version")) {
                    throw new IllegalArgumentException("PTX for compute_" + arch + " is not text (compressed? build with --no-compress)");
                }
                if (kind != 1 && kind != 2) throw new IllegalArgumentException("entry of unknown kind " + kind + " at byte " + entry);
                images.add(new Image(kind == 1, arch, payload));
                entry += entryHeader + payloadSize;
            }
            at = end;
        }
        return new Fatbin(List.copyOf(images));
    }

    /** The cubins' architectures, as {@code sm_90}, and the PTX's, as {@code compute_90}, in file order. */
    List<String> architectures() {
        return images.stream().map(Image::toString).toList();
    }
}
