package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void heldOutClassesAreInNoTrainingSplitAndTheirHoldoutImagesAreTheUnseenSplit() {
        Splits none = Splits.carve(store, 5, 3, 2);
        Splits held = Splits.carve(store, 5, 3, 2, 2);
        int[] unseen = held.heldOutClasses().unseen();
        assertEquals(2, unseen.length);
        for (Split split : new Split[] {held.train(), held.validation(), held.holdout()}) {
            for (int label : split.labels()) assertFalse(held.heldOutClasses().isUnseen(label), split.name() + " holds an unseen class");
        }
        assertEquals(6, held.unseen().size(), "3 holdout images of each of the 2 classes");
        for (int label : held.unseen().labels()) assertTrue(held.heldOutClasses().isUnseen(label));
        assertEquals(Splits.UNSEEN, held.unseen().name());
        // The trained classes are carved exactly as without held-out classes, and the unseen split is their holdout.
        for (int i : none.holdout().indices()) {
            boolean unseenClass = held.heldOutClasses().isUnseen(store.label(i));
            assertEquals(unseenClass, contains(held.unseen().indices(), i));
            assertEquals(!unseenClass, contains(held.holdout().indices(), i));
        }
        assertArrayEquals(Arrays.stream(none.train().indices()).filter(i -> !held.heldOutClasses().isUnseen(store.label(i))).toArray(),
                held.train().indices());
        // The classifier's outputs are the trained classes in label order.
        int[] output = held.heldOutClasses().classifierIndexOfLabel();
        assertEquals(2, held.heldOutClasses().trainedCount());
        int k = 0;
        for (int c = 0; c < 4; c++) assertEquals(held.heldOutClasses().isUnseen(c) ? -1 : k++, output[c]);
        assertEquals(0, none.unseen().size());
        assertEquals(0, none.heldOutClasses().count());
        assertEquals("2 per class carved from train/", held.sourceOf(held.validation()), "counted over the trained classes");
        assertEquals("3 per class carved from train/, of the 2 classes held out of training", held.sourceOf(held.unseen()));
    }

    @Test
    void heldOutClassesArePureFunctionsOfTheSplitSeed() {
        assertEquals(HeldOutClasses.choose(200, 50, 1), HeldOutClasses.choose(200, 50, 1));
        assertFalse(HeldOutClasses.choose(200, 50, 1).equals(HeldOutClasses.choose(200, 50, 2)));
        Set<Integer> chosen = new HashSet<>();
        for (int c : HeldOutClasses.choose(200, 50, 1).unseen()) assertTrue(chosen.add(c) && c >= 0 && c < 200);
        assertEquals(50, chosen.size());
        int[] sorted = HeldOutClasses.choose(200, 50, 1).unseen();
        int[] copy = sorted.clone();
        Arrays.sort(copy);
        assertArrayEquals(copy, sorted);
        assertEquals(Splits.carve(store, 9, 3, 2, 2).heldOutClasses(), Splits.carve(store, 9, 3, 2, 2).heldOutClasses());
    }

    @Test
    void heldOutClassesTakeTheirOfficialValImagesToTheUnseenSplit() {
        Splits held = Splits.carve(withVal, 1, -1, 1, 2);
        assertEquals(4, held.unseen().size());
        assertEquals(4, held.holdout().size());
        for (int i : held.unseen().indices()) assertEquals(Origin.VAL, withVal.origin(i));
        for (int label : held.holdout().labels()) assertFalse(held.heldOutClasses().isUnseen(label));
    }

    @Test
    void heldOutClassCountsThatCannotWorkAreRefusedNamingTheOption() {
        assertEquals("--holdout-classes 1: must be 0 (none) or 2 or more",
                assertThrows(IllegalArgumentException.class, () -> Splits.carve(store, 1, 3, 2, 1)).getMessage());
        assertEquals("--holdout-classes 3: the data has 4 classes, and at least 2 must stay to train on",
                assertThrows(IllegalArgumentException.class, () -> Splits.carve(store, 1, 3, 2, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeldOutClasses.check(-2, 200));
    }

    private static boolean contains(int[] a, int x) {
        return Arrays.stream(a).anyMatch(v -> v == x);
    }

    @Test
    void tooFewImagesForTheCarvingIsAnErrorNamingTheClass() {
        DataException e = assertThrows(DataException.class, () -> Splits.carve(store, 1, 10, 2));
        assertEquals(true, e.getMessage().contains(Fixtures.wnid(0)), e.getMessage());
    }
}
