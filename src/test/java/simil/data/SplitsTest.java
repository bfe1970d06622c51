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

    @Test
    void tooFewImagesForTheCarvingIsAnErrorNamingTheClass() {
        DataException e = assertThrows(DataException.class, () -> Splits.carve(store, 1, 10, 2));
        assertEquals(true, e.getMessage().contains(Fixtures.wnid(0)), e.getMessage());
    }
}
