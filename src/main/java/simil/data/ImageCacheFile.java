package simil.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

/**
 * The on-disk format of decoded images: a fixed preamble (magic, version, image count, description length and CRC),
 * the pixels page-aligned at {@link #PIXELS_AT} so they can be memory-mapped, then the description (key, classes,
 * labels, origins, one CRC per image, skipped files).
 */
final class ImageCacheFile {
    static final byte[] MAGIC = "SIMILIMG".getBytes(StandardCharsets.US_ASCII);
    /** 2: four-channel JPEGs decoded as Pillow does (version 1 caches hold the JDK's wrong CMYK colours). */
    static final int VERSION = 2;
    static final int PIXELS_AT = 4096;
    private static final int PREAMBLE_BYTES = 8 + 4 + 4 + 4 + 8;
    /** Images per mapped segment: a single MappedByteBuffer cannot exceed 2 GiB. */
    static final int IMAGES_PER_SEGMENT = (1 << 30) / JpegDecoder.IMAGE_BYTES;

    private ImageCacheFile() {}

    /** Everything but the pixels. */
    record Description(String key, List<String> wnids, List<String> classNames, int[] labels, byte[] origins,
                       int[] imageCrcs, List<String> skipped) {}

    /** Maps the pixels of {@code count} images for reading, one buffer per {@link #IMAGES_PER_SEGMENT} images. */
    static MappedByteBuffer[] mapPixels(FileChannel channel, int count) throws IOException {
        int segments = Math.max(1, (count + IMAGES_PER_SEGMENT - 1) / IMAGES_PER_SEGMENT);
        MappedByteBuffer[] buffers = new MappedByteBuffer[segments];
        for (int s = 0; s < segments; s++) {
            int images = Math.min(IMAGES_PER_SEGMENT, count - s * IMAGES_PER_SEGMENT);
            buffers[s] = channel.map(FileChannel.MapMode.READ_ONLY, pixelsAt(s * IMAGES_PER_SEGMENT), (long) images * JpegDecoder.IMAGE_BYTES);
        }
        return buffers;
    }

    /** CRC32 of one image's bytes inside the mapped pixels. */
    static int crc(MappedByteBuffer[] pixels, int image) {
        int at = (image % IMAGES_PER_SEGMENT) * JpegDecoder.IMAGE_BYTES;
        return crc(pixels[image / IMAGES_PER_SEGMENT].slice(at, JpegDecoder.IMAGE_BYTES));
    }

    /** CRC32 of one image's bytes. */
    static int crc(ByteBuffer image) {
        CRC32 crc = new CRC32();
        crc.update(image);
        return (int) crc.getValue();
    }

    /** Where image {@code image}'s pixels start in the file. */
    static long pixelsAt(int image) {
        return PIXELS_AT + (long) image * JpegDecoder.IMAGE_BYTES;
    }

    /**
     * Writes all of {@code bytes} at {@code position} through the channel, never through a mapping: a full disk is
     * then an {@link IOException} here instead of a SIGBUS that kills the JVM when a mapped page finds no room.
     */
    static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) position += channel.write(bytes, position);
    }

    /** Bytes a cache of {@code count} images takes, but for the class names and skipped files of its description. */
    static long estimatedSize(int count) {
        return pixelsEnd(count) + 9L * count;
    }

    /** Writes the description after the pixels of {@code d.labels().length} images, then the preamble that makes the file valid. */
    static void finish(FileChannel channel, Description d) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(d.key());
            out.writeInt(d.wnids().size());
            for (int c = 0; c < d.wnids().size(); c++) {
                out.writeUTF(d.wnids().get(c));
                out.writeUTF(d.classNames().get(c));
            }
            out.writeInt(d.labels().length);
            for (int label : d.labels()) out.writeInt(label);
            out.write(d.origins());
            for (int crc : d.imageCrcs()) out.writeInt(crc);
            out.writeInt(d.skipped().size());
            for (String s : d.skipped()) out.writeUTF(s);
        }
        byte[] description = bytes.toByteArray();
        int count = d.labels().length;
        channel.truncate(pixelsEnd(count));
        writeFully(channel, ByteBuffer.wrap(description), pixelsEnd(count));
        CRC32 crc = new CRC32();
        crc.update(description);
        ByteBuffer preamble = ByteBuffer.allocate(PREAMBLE_BYTES)
                .put(MAGIC).putInt(VERSION).putInt(count).putInt(description.length).putLong(crc.getValue()).flip();
        writeFully(channel, preamble, 0);
    }

    /** Reads and checks the description, or throws {@link DataException} saying why the file is stale or damaged. */
    static Description read(FileChannel channel, String expectedKey) throws IOException {
        ByteBuffer preamble = ByteBuffer.allocate(PREAMBLE_BYTES);
        if (channel.read(preamble, 0) != PREAMBLE_BYTES) throw damaged("too short for a header");
        preamble.flip();
        byte[] magic = new byte[MAGIC.length];
        preamble.get(magic);
        if (!Arrays.equals(magic, MAGIC)) throw damaged("not a simil image cache");
        int version = preamble.getInt();
        if (version != VERSION) throw damaged("format version " + version + ", expected " + VERSION);
        int count = preamble.getInt();
        int length = preamble.getInt();
        long expectedCrc = preamble.getLong();
        if (count < 0 || length < 0 || channel.size() != pixelsEnd(count) + length) throw damaged("size does not match its header (truncated?)");
        ByteBuffer description = ByteBuffer.allocate(length);
        channel.read(description, pixelsEnd(count));
        CRC32 crc = new CRC32();
        crc.update(description.array());
        if (crc.getValue() != expectedCrc) throw damaged("header checksum mismatch");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(description.array()))) {
            String key = in.readUTF();
            if (!key.equals(expectedKey)) throw damaged("made for another archive or subset");
            int classes = in.readInt();
            List<String> wnids = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                wnids.add(in.readUTF());
                names.add(in.readUTF());
            }
            if (in.readInt() != count) throw damaged("image count mismatch");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = in.readInt();
            byte[] origins = new byte[count];
            in.readFully(origins);
            int[] crcs = new int[count];
            for (int i = 0; i < count; i++) crcs[i] = in.readInt();
            int skippedCount = in.readInt();
            List<String> skipped = new ArrayList<>();
            for (int i = 0; i < skippedCount; i++) skipped.add(in.readUTF());
            return new Description(key, List.copyOf(wnids), List.copyOf(names), labels, origins, crcs, List.copyOf(skipped));
        }
    }

    /** Checks every image against its CRC, in parallel; throws {@link DataException} on the first mismatch. */
    static void verifyPixels(MappedByteBuffer[] pixels, int[] crcs) {
        int bad = IntStream.range(0, crcs.length).parallel().filter(i -> crc(pixels, i) != crcs[i]).findFirst().orElse(-1);
        if (bad >= 0) throw damaged("pixel checksum mismatch at image " + bad);
    }

    static long pixelsEnd(int count) {
        return pixelsAt(count);
    }

    private static DataException damaged(String why) {
        return new DataException(why);
    }
}
