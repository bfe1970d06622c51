package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsTest {
    @TempDir
    static Path dir;
    static ImageStore store;
    static ImageStore withVal;

    @BeforeAll
    static void load() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        store = TinyImageNet.load(Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(4, 12)), Subset.ALL, dir.resolve("cache"), true, quiet);
        Map<String, byte[]> files = Fixtures.archive(4, 6);
        Fixtures.addVal(files, 4, 2);
        withVal = TinyImageNet.load(Fixtures.zip(dir.resolve("v.zip"), files), Subset.ALL, dir.resolve("cache"), true, quiet);
    }

    @Test
    void carvingHasTheRequestedSizesPerClassAndCoversTrainOnce() {
        Splits s = Splits.carve(store, 5, 3, 2);
        assertEquals(12, s.holdout().size());
        assertEquals(8, s.validation().size());
        assertEquals(28, s.train().size());
        for (Split split : new Split[] {s.train(), s.validation(), s.holdout()}) {
            int[] counts = split.classCounts();
            int expected = split.size() / 4;
            for (int count : counts) assertEquals(expected, count, split.name());
        }
        Set<Integer> seen = new HashSet<>();
        for (Split split : new Split[] {s.train(), s.validation(), s.holdout()}) {
            for (int i : split.indices()) assertEquals(true, seen.add(i), "image " + i + " in two splits");
        }
        assertEquals(IntStream.range(0, 48).boxed().collect(java.util.stream.Collectors.toSet()), seen);
    }

    @Test
    void carvingIsAPureFunctionOfTheSeed() {
        Splits a = Splits.carve(store, 5, 3, 2);
        Splits b = Splits.carve(store, 5, 3, 2);
        Splits other = Splits.carve(store, 6, 3, 2);
        assertArrayEquals(a.holdout().indices(), b.holdout().indices());
        assertArrayEquals(a.validation().indices(), b.validation().indices());
        assertArrayEquals(a.train().indices(), b.train().indices());
        assertFalse(Arrays.equals(a.holdout().indices(), other.holdout().indices()));
    }

    @Test
    void officialValIsTheHoldoutUnlessCarvingIsRequested() {
        Splits official = Splits.carve(withVal, 1, -1, 1);
        assertEquals("official val/", official.holdoutSource());
        assertArrayEquals(withVal.indicesOf(Origin.VAL), official.holdout().indices());
        assertEquals(20, official.train().size());
        Splits carved = Splits.carve(withVal, 1, 2, 1);
        assertEquals(8, carved.holdout().size());
        assertEquals(Origin.TRAIN, withVal.origin(carved.holdout().indices()[0]));
    }

    /**
     * The quick start's split reproduces with either archive: with --holdout given, the official zip (with val/) and the
     * train-only one carve the very same images from their identical train/ for every split.
     */
    @Test
    void anExplicitHoldoutCarvesTheSameImagesWithOrWithoutVal() {
        ImageStore trainOnly = TinyImageNet.load(Fixtures.zip(dir.resolve("train-only.zip"), Fixtures.archive(4, 6)), Subset.ALL,
                dir.resolve("cache"), true, new PrintStream(OutputStream.nullOutputStream()));
        Splits official = Splits.carve(withVal, 1, 2, 1), plain = Splits.carve(trainOnly, 1, 2, 1);
        byte[] a = new byte[JpegDecoder.IMAGE_BYTES], b = new byte[JpegDecoder.IMAGE_BYTES];
        Split[] fromOfficial = {official.train(), official.validation(), official.holdout()};
        Split[] fromPlain = {plain.train(), plain.validation(), plain.holdout()};
        for (int k = 0; k < 3; k++) {
            Split x = fromOfficial[k], y = fromPlain[k];
            String name = x.name();
            assertArrayEquals(y.indices(), x.indices(), name);
            for (int i : x.indices()) {
                withVal.copyPixels(i, a, 0);
                trainOnly.copyPixels(i, b, 0);
                assertArrayEquals(b, a, name + " image " + i);
            }
        }
        assertEquals(official.sourceOf(official.holdout()), plain.sourceOf(plain.holdout()));
    }

    @Test
    void eachSplitSaysWhereItsImagesComeFrom() {
        Splits official = Splits.carve(withVal, 1, -1, 1);
        assertEquals("official val/", official.sourceOf(official.holdout()));
        assertEquals("1 per class carved from train/", official.sourceOf(official.validation()));
        assertEquals("the rest of train/", official.sourceOf(official.train()));
        Splits carved = Splits.carve(store, 1, 3, 2);
        assertEquals("3 per class carved from train/", carved.sourceOf(carved.holdout()));
        assertEquals("2 per class carved from train/", carved.sourceOf(carved.validation()));
    }

    @Test
    void tooFewImagesForTheCarvingIsAnErrorNamingTheClass() {
        DataException e = assertThrows(DataException.class, () -> Splits.carve(store, 1, 10, 2));
        assertEquals(true, e.getMessage().contains(Fixtures.wnid(0)), e.getMessage());
    }
}
