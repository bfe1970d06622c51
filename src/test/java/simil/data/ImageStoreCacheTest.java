package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreCacheTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private ImageStore load(Path archive, boolean strict) {
        return TinyImageNet.load(archive, Subset.ALL, dir.resolve("cache"), strict, log);
    }

    private String takeLog() {
        String s = logged.toString(StandardCharsets.UTF_8);
        logged.reset();
        return s;
    }

    private static byte[] pixels(ImageStore store, int i) {
        byte[] out = new byte[JpegDecoder.IMAGE_BYTES];
        store.copyPixels(i, out, 0);
        return out;
    }

    @Test
    void secondLoadReusesTheCacheAndSeesTheSamePixels() {
        Map<String, byte[]> files = Fixtures.archive(3, 4);
        Fixtures.addVal(files, 3, 1);
        Path zip = Fixtures.zip(dir.resolve("t.zip"), files);
        ImageStore first = load(zip, false);
        assertTrue(takeLog().contains("decoding 15 images"));
        ImageStore second = load(zip, false);
        assertFalse(takeLog().contains("decoding"));
        assertEquals(15, second.size());
        assertEquals(3, second.classCount());
        assertEquals("thing 2", second.className(2));
        assertEquals(3, second.indicesOf(Origin.VAL).length);
        for (int i = 0; i < 15; i++) {
            assertEquals(first.label(i), second.label(i));
            assertArrayEquals(pixels(first, i), pixels(second, i));
        }
        assertEquals(first.cacheFile(), second.cacheFile());
    }

    @Test
    void damagedOrTruncatedCacheIsRebuilt() throws IOException {
        Path zip = Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(2, 3));
        ImageStore store = load(zip, false);
        byte[] original = pixels(store, 4);
        Path cache = store.cacheFile();
        try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
            long at = ImageCacheFile.PIXELS_AT + 4L * JpegDecoder.IMAGE_BYTES + 100;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0xFF);
        }
        takeLog();
        ImageStore rebuilt = load(zip, false);
        String message = takeLog();
        assertTrue(message.contains("stale or damaged") && message.contains("pixel checksum"), message);
        assertArrayEquals(original, pixels(rebuilt, 4));

        try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
            file.setLength(file.length() - 10);
        }
        load(zip, false);
        assertTrue(takeLog().contains("truncated"));
    }

    @Test
    void changedArchiveGetsItsOwnCache() throws IOException {
        Path zip = Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(2, 3));
        Path before = load(zip, false).cacheFile();
        Fixtures.zip(zip, Fixtures.archive(2, 4));
        Files.setLastModifiedTime(zip, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(zip).toMillis() + 5000));
        ImageStore after = load(zip, false);
        assertEquals(8, after.size());
        assertFalse(before.equals(after.cacheFile()));
    }

    @Test
    void unreadableImageIsSkippedWithAWarningOrFatalWhenStrict() {
        Map<String, byte[]> files = Fixtures.archive(2, 3);
        String bad = Fixtures.ROOT + "train/" + Fixtures.wnid(1) + "/images/" + Fixtures.wnid(1) + "_1.JPEG";
        byte[] good = files.get(bad);
        files.put(bad, Arrays.copyOf(good, good.length / 3));
        Path zip = Fixtures.zip(dir.resolve("t.zip"), files);

        DataException strict = assertThrows(DataException.class, () -> load(zip, true));
        assertTrue(strict.getMessage().contains(bad) && strict.getMessage().contains("t.zip"), strict.getMessage());
        assertFalse(Files.exists(CacheLocation.file(dir.resolve("cache"), CacheLocation.key(zip, Subset.ALL))));

        ImageStore store = load(zip, false);
        String warning = takeLog();
        assertTrue(warning.contains("skipped 1 unreadable image(s) of 6") && warning.contains(bad), warning);
        assertEquals(5, store.size());
        assertEquals(1, store.skipped().size());
        assertEquals(2, Arrays.stream(store.indicesOf(Origin.TRAIN)).filter(i -> store.label(i) == 1).count());

        DataException cachedStrict = assertThrows(DataException.class, () -> load(zip, true));
        assertTrue(cachedStrict.getMessage().contains(bad), cachedStrict.getMessage());
    }

    @Test
    void floatsAreBytesOver255ThenNormalized() {
        ImageStore store = load(Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(2, 2)), false);
        int[] batch = {3, 0};
        float[] out = new float[2 * JpegDecoder.IMAGE_BYTES];
        store.toFloats(batch, out, Normalization.NONE);
        for (int n = 0; n < 2; n++) {
            byte[] bytes = pixels(store, batch[n]);
            for (int p = 0; p < JpegDecoder.IMAGE_BYTES; p += 397) {
                assertEquals((bytes[p] & 0xFF) / 255f, out[n * JpegDecoder.IMAGE_BYTES + p], 1e-6f);
            }
        }
        Normalization measured = Normalization.measure(store, new int[] {0, 1, 2, 3});
        float[] normalized = new float[2 * JpegDecoder.IMAGE_BYTES];
        store.toFloats(batch, normalized, measured);
        for (int p = 0; p < normalized.length; p += 1013) {
            int c = (p % JpegDecoder.IMAGE_BYTES) / 4096;
            assertEquals((out[p] - measured.mean()[c]) / measured.std()[c], normalized[p], 1e-4f);
        }
        assertThrows(IllegalArgumentException.class, () -> store.toFloats(batch, new float[10], Normalization.NONE));
    }
}
