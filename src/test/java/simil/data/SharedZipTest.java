package simil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a few classes of the real shared archive, when this checkout sits next to it. */
class SharedZipTest {
    private static final Path SHARED = Path.of("../shared/data/tiny-imagenet-200-train.zip");

    @TempDir
    Path cache;

    @Test
    void firstClassesOfTheSharedZipDecodeAndSplit() {
        Assumptions.assumeTrue(Files.isRegularFile(SHARED), "no shared archive at " + SHARED);
        ImageStore store = TinyImageNet.load(SHARED, new Subset(3, 40), cache, true, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(3, store.classCount());
        assertEquals(120, store.size());
        assertTrue(store.wnid(0).matches("n\\d{8}"), store.wnid(0));
        assertTrue(!store.className(0).equals(store.wnid(0)), "class name from words.txt");
        Splits splits = Splits.carve(store, 1, 10, 5);
        assertEquals(30, splits.holdout().size());
        assertEquals(75, splits.train().size());
        float[] floats = new float[2 * JpegDecoder.IMAGE_BYTES];
        store.toFloats(new int[] {0, 119}, floats, Normalization.NONE);
        double sum = 0;
        for (float f : floats) {
            assertTrue(f >= 0 && f <= 1);
            sum += f;
        }
        assertTrue(sum > 0, "real photos are not black");
    }
}
