package simil.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import simil.io.LockFile;
import simil.io.WriteFailure;

/**
 * Loads TinyImageNet-200 into an {@link ImageStore}: from the cache when it is valid, otherwise by decoding the archive
 * once. Processes that need the same missing cache take turns: one builds it, the others wait and then use it.
 */
public final class TinyImageNet {
    private TinyImageNet() {}

    /**
     * The images of {@code archive} (zip or folder) restricted to {@code subset}, cached under {@code cacheDirectory}.
     * With {@code strict}, any unreadable image is an error, even one skipped when the cache was built.
     */
    public static ImageStore load(Path archive, Subset subset, Path cacheDirectory, boolean strict, PrintStream log) {
        String key = CacheLocation.key(archive, subset);
        Path cache = CacheLocation.file(cacheDirectory, key);
        ImageStore store = openIfValid(cache, key, log);
        if (store == null) store = build(archive, subset, key, cache, strict, log);
        if (strict && !store.skipped().isEmpty()) {
            throw new DataException(store.skipped().get(0) + " (skipped when the cache was built; --strict forbids it)");
        }
        return store;
    }

    private static ImageStore build(Path archive, Subset subset, String key, Path cache, boolean strict, PrintStream log) {
        try (LockFile lock = LockFile.acquire(CacheLocation.lockFile(cache), "building the image cache " + cache, log)) {
            // Another process may have built it while this one waited (its verdict on a damaged file was said already).
            ImageStore built = openIfValid(cache, key, null);
            if (built != null) return built;
            ImageCacheBuilder.removeAbandoned(cache.getParent(), cache, log);
            try (ArchiveReader reader = ArchiveReader.open(archive)) {
                Catalog catalog = TinyImageNetLayout.read(reader, subset);
                int n = catalog.entries().size();
                WriteFailure.checkRoom("the image cache " + cache, cache.getParent(), ImageCacheFile.estimatedSize(n));
                log.println("simil: decoding " + n + " images of " + archive + " into " + cache);
                ImageCacheBuilder.build(reader, catalog, key, cache, strict, Runtime.getRuntime().availableProcessors(), log);
            }
            return ImageStore.open(cache, key);
        } catch (IOException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /**
     * The archive entry path of every image of {@code store}, by store index, as {@link #load} found them in
     * {@code archive} for {@code subset}: the catalog read again, less the images the cache skipped as unreadable
     * (each skip names its entry). A {@link DataException} when the archive no longer matches the store.
     */
    public static String[] entryPaths(Path archive, Subset subset, ImageStore store) {
        List<CatalogEntry> entries;
        try (ArchiveReader reader = ArchiveReader.open(archive)) {
            entries = TinyImageNetLayout.read(reader, subset).entries();
        }
        String[] paths = new String[store.size()];
        int kept = 0;
        for (CatalogEntry e : entries) {
            if (store.skipped().stream().anyMatch(why -> why.contains(e.path()))) continue;
            if (kept == paths.length || store.label(kept) != e.label() || store.origin(kept) != e.origin()) {
                throw new DataException(archive + " no longer holds the images of its cache " + store.cacheFile() + " (changed since?)");
            }
            paths[kept++] = e.path();
        }
        if (kept != paths.length) throw new DataException(archive + " no longer holds the images of its cache " + store.cacheFile() + " (changed since?)");
        return paths;
    }

    /** The cache when it exists and is sound; null otherwise, saying on {@code log} (when not null) why a file is not used. */
    private static ImageStore openIfValid(Path cache, String key, PrintStream log) {
        if (!Files.exists(cache)) return null;
        try {
            return ImageStore.open(cache, key);
        } catch (DataException e) {
            if (log != null) log.println("simil: cache " + cache + " is stale or damaged (" + e.getMessage() + "); rebuilding it");
            return null;
        }
    }
}
