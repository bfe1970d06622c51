package simil.data;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import simil.io.LockFile;
import simil.io.ProgressBar;
import simil.io.WriteFailure;

/**
 * Decodes every image of a catalog in parallel into a new cache file, written aside through the file channel (no
 * mapping, so a full disk is an error, not a crash) and renamed into place when complete. The caller holds the
 * entry's lock, so no other builder writes the same partial file.
 */
final class ImageCacheBuilder {
    private static final int CHUNK = 64;
    /** What a partial cache file's name ends with. */
    static final String PART_SUFFIX = ".part";

    private ImageCacheBuilder() {}

    /** The partial file that building {@code target} writes. */
    static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + PART_SUFFIX);
    }

    /**
     * Decodes {@code catalog} from {@code archive} into {@code target}. An unreadable image is fatal when {@code strict};
     * otherwise it is left out with a warning on {@code log} and recorded in the cache. A failed write (a full disk)
     * is a {@link DataException} naming {@code target}, and leaves no partial file.
     */
    static void build(ArchiveReader archive, Catalog catalog, String key, Path target, boolean strict, int threads, PrintStream log) {
        List<CatalogEntry> entries = catalog.entries();
        int n = entries.size();
        Path partial = partial(target);
        String[] failures = new String[n];
        int[] crcs = new int[n];
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                decodeAll(archive, entries, channel, failures, crcs, strict, threads, log);
                List<String> skipped = new ArrayList<>();
                int kept = 0;
                int[] labels = new int[n];
                byte[] origins = new byte[n];
                ByteBuffer moved = ByteBuffer.allocate(JpegDecoder.IMAGE_BYTES);
                for (int i = 0; i < n; i++) {
                    if (failures[i] != null) {
                        skipped.add(failures[i]);
                        continue;
                    }
                    if (kept != i) {
                        // Close the gap a skipped image left so that store indices stay dense.
                        moved.clear();
                        while (moved.hasRemaining()) {
                            if (channel.read(moved, ImageCacheFile.pixelsAt(i) + moved.position()) < 0) throw new IOException("unexpected end of file");
                        }
                        ImageCacheFile.writeFully(channel, moved.flip(), ImageCacheFile.pixelsAt(kept));
                    }
                    labels[kept] = entries.get(i).label();
                    origins[kept] = (byte) entries.get(i).origin().ordinal();
                    crcs[kept] = crcs[i];
                    kept++;
                }
                checkNoClassLost(catalog, labels, origins, kept, archive);
                ImageCacheFile.finish(channel, new ImageCacheFile.Description(key, catalog.wnids(), catalog.classNames(),
                        Arrays.copyOf(labels, kept), Arrays.copyOf(origins, kept),
                        Arrays.copyOf(crcs, kept), List.copyOf(skipped)));
            }
            // No fsync: every open checks each image's CRC, so a file that a crash left incomplete is rebuilt, not trusted.
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataException(WriteFailure.of("image cache " + target, target.getParent(), e, ImageCacheFile.estimatedSize(n)).getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                log.println("simil: warning: cannot remove " + partial + ": " + e.getMessage());
            }
        }
    }

    /**
     * Removes the partial files in {@code directory} that no live builder holds (a build killed midway leaves one);
     * {@code own} is the cache the caller is about to build, its lock held.
     */
    static void removeAbandoned(Path directory, Path own, PrintStream log) throws IOException {
        if (!Files.isDirectory(directory)) return;
        List<Path> parts;
        try (Stream<Path> files = Files.list(directory)) {
            parts = files.filter(p -> p.getFileName().toString().endsWith(CacheLocation.SUFFIX + PART_SUFFIX)).toList();
        }
        for (Path part : parts) {
            String name = part.getFileName().toString();
            Path target = part.resolveSibling(name.substring(0, name.length() - PART_SUFFIX.length()));
            if (target.getFileName().equals(own.getFileName())) {
                Files.deleteIfExists(part);
                continue;
            }
            try (LockFile lock = LockFile.tryAcquire(CacheLocation.lockFile(target))) {
                if (lock == null) continue; // another process is building it right now
                Files.deleteIfExists(part);
                log.println("simil: removed " + part + ", left by a build of the cache that did not finish");
            }
        }
    }

    private static void decodeAll(ArchiveReader archive, List<CatalogEntry> entries, FileChannel channel,
                                  String[] failures, int[] crcs, boolean strict, int threads, PrintStream log) throws IOException {
        int n = entries.size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ProgressBar bar = new ProgressBar(log, "decoding", n, "k images", 1000);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    try {
                        decodeChunks(archive, entries, channel, failures, crcs, strict, next, done, bar);
                    } catch (RuntimeException e) {
                        next.set(n); // the other workers stop after their current chunk
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) worker.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new DataException("decoding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("decoding interrupted", e);
        } finally {
            next.set(n);
            pool.shutdown();
            awaitWorkers(pool);
            bar.finish();
        }
        int skipped = 0;
        for (String failure : failures) {
            if (failure != null) {
                log.println("simil: warning: skipped " + failure);
                skipped++;
            }
        }
        if (skipped > 0) log.println("simil: warning: skipped " + skipped + " unreadable image(s) of " + n + " (--strict makes this fatal)");
    }

    /** One worker: takes chunks of images until none is left, decoding each and writing it at its place in the file. */
    private static void decodeChunks(ArchiveReader archive, List<CatalogEntry> entries, FileChannel channel, String[] failures,
                                     int[] crcs, boolean strict, AtomicInteger next, AtomicInteger done, ProgressBar bar) {
        int n = entries.size();
        JpegDecoder decoder = new JpegDecoder();
        byte[] image = new byte[JpegDecoder.IMAGE_BYTES];
        for (int start; (start = next.getAndAdd(CHUNK)) < n; ) {
            for (int i = start; i < Math.min(n, start + CHUNK); i++) {
                String path = entries.get(i).path();
                try {
                    decoder.decode(archive.read(path), image, 0);
                } catch (IOException | DataException e) {
                    String why = e instanceof DataException ? e.getMessage()
                            : "unreadable image " + path + " in " + archive.location() + ": " + e.getMessage();
                    if (strict) throw new DataException(why, e);
                    failures[i] = why;
                    continue;
                }
                crcs[i] = ImageCacheFile.crc(ByteBuffer.wrap(image));
                try {
                    ImageCacheFile.writeFully(channel, ByteBuffer.wrap(image), ImageCacheFile.pixelsAt(i));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            bar.update(done.addAndGet(Math.min(CHUNK, n - start)));
        }
    }

    /** Waits for the workers to finish their chunks, so that none writes after the file is closed and removed. */
    private static void awaitWorkers(ExecutorService pool) {
        try {
            pool.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkNoClassLost(Catalog catalog, int[] labels, byte[] origins, int kept, ArchiveReader archive) {
        boolean[] seen = new boolean[catalog.wnids().size()];
        for (int i = 0; i < kept; i++) if (origins[i] == Origin.TRAIN.ordinal()) seen[labels[i]] = true;
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) throw new DataException("no readable training image of class " + catalog.wnids().get(c) + " in " + archive.location());
        }
    }
}
