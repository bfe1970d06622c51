package simil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simil.testing.Folders.names;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.cli.SimilProcess;
import simil.io.LockFile;
import simil.testing.SmallDisk;

/** The image cache under a full disk and concurrent builders: one-line errors, nothing left behind, no clobbered files. */
class ImageCacheSafetyTest {
    /** 120 images: 1.5 MB decoded, more than the small disks below hold. */
    private static final int CLASSES = 2, PER_CLASS = 60;

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    private Path archive() {
        return Fixtures.zip(dir.resolve("t.zip"), Fixtures.archive(CLASSES, PER_CLASS));
    }


    private static void assertOneLine(String message) {
        assertFalse(message.strip().contains("\n"), "one line: " + message);
    }

    @Test
    void aDiskTooSmallForTheCacheIsRefusedBeforeDecoding() throws Exception {
        Path zip = archive();
        Path cache = dir.resolve("disk/cache");
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 1024)) {
            DataException e = assertThrows(DataException.class, () -> TinyImageNet.load(zip, Subset.ALL, cache, false, quiet));
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().startsWith("no space left on device for the image cache " + cache.resolve("tinyimagenet-")), e.getMessage());
            assertTrue(e.getMessage().contains("(needs 1.5 MB, 1.0 MB free)"), e.getMessage());
            assertEquals(1, names(cache).size(), "only the lock file: " + names(cache));
        }
    }

    @Test
    void aDiskThatFillsDuringTheBuildIsAnErrorNotACrashAndLeavesNoPartialFile() throws Exception {
        Path zip = archive();
        Path cacheDir = dir.resolve("disk/cache");
        String key = CacheLocation.key(zip, Subset.ALL);
        Path target = CacheLocation.file(cacheDir, key);
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 1024);
             ArchiveReader reader = ArchiveReader.open(zip)) {
            Catalog catalog = TinyImageNetLayout.read(reader, Subset.ALL);
            // Past the room check, as when another process fills the disk: the writes themselves must fail cleanly
            // (a memory-mapped write would kill this JVM with SIGBUS instead).
            DataException e = assertThrows(DataException.class, () -> ImageCacheBuilder.build(reader, catalog, key, target, false, 2, quiet));
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().startsWith("no space left on device writing image cache " + target + " (needs 1.5 MB, "), e.getMessage());
            assertEquals(List.of(), names(cacheDir));
        }
    }

    @Test
    void aWriteFailureThroughTheCommandLineIsOneLineWithoutACrashDump() throws Exception {
        Path zip = archive();
        // 512 KiB per file, without root: the cache's writes fail with EFBIG as they would with ENOSPC.
        SimilProcess.Result r = new SimilProcess(dir).withFileSizeLimit(512).run("data", "data", "--data", zip.toString(), "--holdout", "5", "--val-per-class", "5");
        assertEquals(1, r.exitCode(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("simil: error: cannot write image cache " + dir.resolve("cache/tinyimagenet-")), r.err());
        assertTrue(last.endsWith(": File too large"), last);
        assertEquals("", r.out());
        assertTrue(names(dir.resolve("cache")).stream().allMatch(n -> n.endsWith(".lock")), names(dir.resolve("cache")).toString());
        assertTrue(names(dir).stream().noneMatch(n -> n.startsWith("hs_err")), names(dir).toString());
    }

    @Test
    void aSecondBuilderWaitsForTheFirstAndUsesItsCache() throws Exception {
        Path zip = archive();
        Path cacheDir = dir.resolve("cache");
        String key = CacheLocation.key(zip, Subset.ALL);
        Path target = CacheLocation.file(cacheDir, key);
        Process second;
        try (LockFile building = LockFile.acquire(CacheLocation.lockFile(target), "", quiet);
             ArchiveReader reader = ArchiveReader.open(zip)) {
            second = new SimilProcess(dir).start("second", "data", "--data", zip.toString(), "--holdout", "5", "--val-per-class", "5");
            awaitText(dir.resolve("second.err"), "waiting for another simil process building the image cache " + target, second);
            ImageCacheBuilder.build(reader, TinyImageNetLayout.read(reader, Subset.ALL), key, target, false, 2, quiet);
        }
        assertEquals(0, second.waitFor(), Files.readString(dir.resolve("second.err")));
        String err = Files.readString(dir.resolve("second.err"));
        assertFalse(err.contains("decoding"), "the waiter uses the cache the first builder made: " + err);
        assertTrue(Files.readString(dir.resolve("second.out")).contains("images:  120 decoded"));
        assertEquals(120, ImageStore.open(target, key).size());
        assertEquals(List.of(target.getFileName().toString(), target.getFileName() + ".lock"), names(cacheDir));
    }

    @Test
    void aBuilderRemovesPartialFilesThatNoLiveBuilderHolds() throws Exception {
        Path zip = archive();
        Path cacheDir = dir.resolve("cache");
        Path own = CacheLocation.file(cacheDir, CacheLocation.key(zip, Subset.ALL));
        Path live = CacheLocation.file(cacheDir, CacheLocation.key(zip, new Subset(1, 10)));
        Path abandoned = CacheLocation.file(cacheDir, CacheLocation.key(zip, new Subset(1, 20)));
        Files.createDirectories(cacheDir);
        for (Path cache : List.of(own, live, abandoned)) Files.write(ImageCacheBuilder.partial(cache), new byte[5000]);
        try (LockFile liveBuilder = LockFile.acquire(CacheLocation.lockFile(live), "", quiet)) {
            SimilProcess.Result r = new SimilProcess(dir).run("data", "data", "--data", zip.toString(), "--holdout", "5", "--val-per-class", "5");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("removed " + ImageCacheBuilder.partial(abandoned) + ", left by a build of the cache that did not finish"), r.err());
            assertTrue(Files.exists(ImageCacheBuilder.partial(live)), "another process is still writing it");
            assertFalse(Files.exists(ImageCacheBuilder.partial(abandoned)));
            assertFalse(Files.exists(ImageCacheBuilder.partial(own)));
            assertEquals(120, ImageStore.open(own, CacheLocation.key(zip, Subset.ALL)).size());
        }
    }

    /** Waits until {@code file} contains {@code text}, failing if {@code process} ends first or 60 s pass. */
    private static void awaitText(Path file, String text, Process process) throws IOException, InterruptedException {
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            if (Files.exists(file) && Files.readString(file).contains(text)) return;
            if (!process.isAlive()) throw new AssertionError("exited " + process.exitValue() + " before saying '" + text + "': " + Files.readString(file));
        }
        process.destroyForcibly();
        throw new AssertionError("no '" + text + "' in " + file + " after 60 s");
    }
}
