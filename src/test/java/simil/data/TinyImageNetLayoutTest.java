package simil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyImageNetLayoutTest {
    @TempDir
    Path dir;

    private Catalog read(Path archive, Subset subset) {
        try (ArchiveReader reader = ArchiveReader.open(archive)) {
            return TinyImageNetLayout.read(reader, subset);
        }
    }

    @Test
    void zipAndFolderGiveTheSameLabelledCatalog() {
        Map<String, byte[]> files = Fixtures.archive(3, 4);
        Fixtures.addVal(files, 3, 2);
        Catalog fromZip = read(Fixtures.zip(dir.resolve("t.zip"), files), Subset.ALL);
        Catalog fromFolder = read(Fixtures.folder(dir.resolve("unpacked"), files).resolve("tiny-imagenet-200"), Subset.ALL);
        // The folder is opened at tiny-imagenet-200/ itself, so its paths lack that prefix.
        assertEquals(fromZip.wnids(), fromFolder.wnids());
        assertEquals(fromZip.entries().stream().map(e -> new CatalogEntry(e.path().substring(Fixtures.ROOT.length()), e.label(), e.origin())).toList(),
                fromFolder.entries());
        assertEquals(java.util.List.of("thing 0", "thing 1", "thing 2"), fromZip.classNames());
        assertEquals(12 + 6, fromZip.entries().size());
        assertEquals(12, fromZip.entries().stream().filter(e -> e.origin() == Origin.TRAIN).count());
        for (CatalogEntry e : fromZip.entries()) {
            if (e.origin() == Origin.TRAIN) assertTrue(e.path().contains(Fixtures.wnid(e.label())), e.path());
        }
    }

    @Test
    void subsetKeepsTheFirstClassesAndCapsImagesPerClass() {
        Catalog catalog = read(Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(4, 5)), new Subset(2, 3));
        assertEquals(2, catalog.wnids().size());
        assertEquals(6, catalog.entries().size());
        assertEquals(3, catalog.entries().stream().filter(e -> e.label() == 1).count());
    }

    @Test
    void moreClassesThanTheArchiveHasAreRefusedNotClamped() {
        Path zip = Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(4, 5));
        DataException e = assertThrows(DataException.class, () -> read(zip, new Subset(5, 3)));
        assertEquals("--classes 5: the archive has 4 classes", e.getMessage());
        assertEquals(4, read(zip, new Subset(4, Integer.MAX_VALUE)).wnids().size(), "all of them is fine");
    }

    @Test
    void zipWithoutWnidsIsAnErrorNamingIt() {
        Map<String, byte[]> files = Fixtures.archive(2, 2);
        files.remove(Fixtures.ROOT + "wnids.txt");
        Path zip = Fixtures.zip(dir.resolve("nownids.zip"), files);
        DataException e = assertThrows(DataException.class, () -> read(zip, Subset.ALL));
        assertTrue(e.getMessage().contains("wnids.txt") && e.getMessage().contains("nownids.zip"), e.getMessage());
    }

    @Test
    void valAnnotationNamingAnUnknownClassIsAnError() {
        Map<String, byte[]> files = Fixtures.archive(2, 2);
        files.put(Fixtures.ROOT + "val/images/val_0.JPEG", Fixtures.jpeg(1));
        files.put(Fixtures.ROOT + "val/val_annotations.txt", Fixtures.text("val_0.JPEG\tn77777777\t0\t0\t1\t1\n"));
        Path zip = Fixtures.zip(dir.resolve("t.zip"), files);
        DataException e = assertThrows(DataException.class, () -> read(zip, Subset.ALL));
        assertTrue(e.getMessage().contains("val_annotations.txt line 1") && e.getMessage().contains("n77777777"), e.getMessage());
    }

    @Test
    void emptyClassFolderIsAnErrorNamingIt() {
        Map<String, byte[]> files = Fixtures.archive(2, 2);
        files.keySet().removeIf(k -> k.contains("/images/" + Fixtures.wnid(1)));
        files.put(Fixtures.ROOT + "train/" + Fixtures.wnid(1) + "/images/", null);
        Path zip = Fixtures.zip(dir.resolve("t.zip"), files);
        DataException e = assertThrows(DataException.class, () -> read(zip, Subset.ALL));
        assertTrue(e.getMessage().contains("empty class folder") && e.getMessage().contains(Fixtures.wnid(1) + "/images/"), e.getMessage());
    }

    @Test
    void truncatedZipIsAnErrorNamingIt() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.zip(dir.resolve("whole.zip"), Fixtures.archive(2, 3)));
        Path cut = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(whole, whole.length / 2));
        DataException e = assertThrows(DataException.class, () -> read(cut, Subset.ALL));
        assertTrue(e.getMessage().contains("cut.zip") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
