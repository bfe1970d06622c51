package simil.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
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
import java.util.concurrent.atomic.AtomicInteger;

/** Decodes every image of a catalog in parallel into a new cache file, written aside and renamed into place when complete. */
final class ImageCacheBuilder {
    private static final int CHUNK = 64;

    private ImageCacheBuilder() {}

    /**
     * Decodes {@code catalog} from {@code archive} into {@code target}. An unreadable image is fatal when {@code strict};
     * otherwise it is left out with a warning on {@code log} and recorded in the cache.
     */
    static void build(ArchiveReader archive, Catalog catalog, String key, Path target, boolean strict, int threads, PrintStream log) {
        List<CatalogEntry> entries = catalog.entries();
        int n = entries.size();
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        String[] failures = new String[n];
        int[] crcs = new int[n];
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer[] pixels = ImageCacheFile.mapPixels(channel, FileChannel.MapMode.READ_WRITE, n);
                decodeAll(archive, entries, pixels, failures, crcs, strict, threads, log);
                List<String> skipped = new ArrayList<>();
                int kept = 0;
                int[] labels = new int[n];
                byte[] origins = new byte[n];
                byte[] moved = new byte[JpegDecoder.IMAGE_BYTES];
                for (int i = 0; i < n; i++) {
                    if (failures[i] != null) {
                        skipped.add(failures[i]);
                        continue;
                    }
                    if (kept != i) {
                        // Close the gap a skipped image left so that store indices stay dense.
                        segment(pixels, i).get(offset(i), moved);
                        segment(pixels, kept).put(offset(kept), moved);
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
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataException("cannot write cache " + partial + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                log.println("simil: warning: cannot remove " + partial + ": " + e.getMessage());
            }
        }
    }

    private static void decodeAll(ArchiveReader archive, List<CatalogEntry> entries, MappedByteBuffer[] pixels,
                                  String[] failures, int[] crcs, boolean strict, int threads, PrintStream log) {
        int n = entries.size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ProgressBar bar = new ProgressBar(log, "decoding", n, "k images", 1000);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    JpegDecoder decoder = new JpegDecoder();
                    byte[] image = new byte[JpegDecoder.IMAGE_BYTES];
                    for (int start; (start = next.getAndAdd(CHUNK)) < n; ) {
                        for (int i = start; i < Math.min(n, start + CHUNK); i++) {
                            String path = entries.get(i).path();
                            try {
                                decoder.decode(archive.read(path), image, 0);
                                segment(pixels, i).put(offset(i), image);
                                crcs[i] = ImageCacheFile.crc(pixels, i);
                            } catch (IOException | DataException e) {
                                String why = e instanceof DataException ? e.getMessage()
                                        : "unreadable image " + path + " in " + archive.location() + ": " + e.getMessage();
                                if (strict) throw new DataException(why, e);
                                failures[i] = why;
                            }
                        }
                        bar.update(done.addAndGet(Math.min(CHUNK, n - start)));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) worker.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new DataException("decoding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("decoding interrupted", e);
        } finally {
            pool.shutdownNow();
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

    private static void checkNoClassLost(Catalog catalog, int[] labels, byte[] origins, int kept, ArchiveReader archive) {
        boolean[] seen = new boolean[catalog.wnids().size()];
        for (int i = 0; i < kept; i++) if (origins[i] == Origin.TRAIN.ordinal()) seen[labels[i]] = true;
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) throw new DataException("no readable training image of class " + catalog.wnids().get(c) + " in " + archive.location());
        }
    }

    private static MappedByteBuffer segment(MappedByteBuffer[] pixels, int image) {
        return pixels[image / ImageCacheFile.IMAGES_PER_SEGMENT];
    }

    private static int offset(int image) {
        return (image % ImageCacheFile.IMAGES_PER_SEGMENT) * JpegDecoder.IMAGE_BYTES;
    }
}
