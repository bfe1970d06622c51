package simil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.cli.SyntheticTinyImageNet;

/** A data fingerprint knows an archive by its content, not its path, and names every setting that differs. */
class DataFingerprintTest {
    @TempDir
    Path dir;

    @Test
    void theSameImagesAnywhereAreTheSameArchiveAndOneChangedImageIsAnother() throws IOException {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("a.zip"), 2, 3);
        Path elsewhere = SyntheticTinyImageNet.zip(Files.createDirectories(dir.resolve("elsewhere")).resolve("b.zip"), 2, 3);
        DataFingerprint run = DataFingerprint.of(zip, 2, null, 1, 1, 1);
        assertTrue(DataFingerprint.of(elsewhere, 2, null, 1, 1, 1).differencesFrom(run).isEmpty());

        Path stored = stored(zip, dir.resolve("stored.zip"), false), changed = stored(zip, dir.resolve("changed.zip"), true);
        assertEquals(Files.size(stored), Files.size(changed), "same size: only the content tells them apart");
        DataFingerprint storedRun = DataFingerprint.of(stored, 2, null, 1, 1, 1), other = DataFingerprint.of(changed, 2, null, 1, 1, 1);
        assertFalse(other.sameArchiveAs(storedRun));
        assertEquals(List.of("--data " + changed.toAbsolutePath().normalize() + " (the run has " + storedRun.archive() + ", another archive)"),
                other.differencesFrom(storedRun).stream().map(Object::toString).toList());
    }

    @Test
    void everyOtherSettingIsNamedWithTheRunsValue() throws IOException {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("a.zip"), 2, 3);
        DataFingerprint run = DataFingerprint.of(zip, 2, null, 1, 1, 1);
        DataFingerprint other = DataFingerprint.of(zip, null, 2, 0, 2, 7, 3);
        assertEquals(List.of("--classes not given (the run has 2)", "--per-class 2 (the run has none)", "--holdout 0 (the run has 1)",
                "--holdout-classes 3 (the run has 0)", "--val-per-class 2 (the run has 1)", "--split-seed 7 (the run has 1)"),
                other.differencesFrom(run).stream().map(Object::toString).toList());
        assertEquals(run, DataFingerprint.fromJson(run.toJson()));
        assertEquals(other, DataFingerprint.fromJson(other.toJson()));
        assertEquals("--per-class 2 --holdout 0 --holdout-classes 3 --val-per-class 2 --split-seed 7", other.splitOptions());
        // A run made before archives or held-out classes were recorded (its data.json had the split settings only)
        // compares those alone, and held out no class.
        DataFingerprint legacy = DataFingerprint.fromJson("{\"holdout\":1,\"validationPerClass\":1,\"splitSeed\":1,\"classes\":2}");
        assertEquals(0, legacy.holdoutClasses());
        assertTrue(run.differencesFrom(legacy).isEmpty());
    }

    @Test
    void anUnpackedFolderIsKnownByItsFilesNamesAndSizes() throws IOException {
        Path folder = dir.resolve("unpacked");
        Files.createDirectories(folder.resolve("train"));
        Files.writeString(folder.resolve("wnids.txt"), "n00000001\n");
        Files.writeString(folder.resolve("train").resolve("a.JPEG"), "abc");
        DataFingerprint run = DataFingerprint.of(folder, null, null, 1, 1, 1);
        assertEquals(13, run.archiveBytes());
        assertTrue(DataFingerprint.of(folder, null, null, 1, 1, 1).sameArchiveAs(run));
        Files.writeString(folder.resolve("train").resolve("b.JPEG"), "d");
        assertFalse(DataFingerprint.of(folder, null, null, 1, 1, 1).sameArchiveAs(run));
    }

    /** {@code source} rewritten uncompressed, with one bit of its first image flipped when {@code flip}. */
    private static Path stored(Path source, Path target, boolean flip) throws IOException {
        try (ZipFile zip = new ZipFile(source.toFile()); OutputStream file = Files.newOutputStream(target);
             ZipOutputStream out = new ZipOutputStream(file)) {
            boolean flipped = false;
            for (ZipEntry e : zip.stream().toList()) {
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (flip && !flipped && e.getName().endsWith(".JPEG")) {
                    bytes[bytes.length / 2] ^= 1;
                    flipped = true;
                }
                ZipEntry entry = new ZipEntry(e.getName());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return target;
    }
}
