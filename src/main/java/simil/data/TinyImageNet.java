package simil.data;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads TinyImageNet-200 into an {@link ImageStore}: from the cache when it is valid, otherwise by decoding the archive once. */
public final class TinyImageNet {
    private TinyImageNet() {}

    /**
     * The images of {@code archive} (zip or folder) restricted to {@code subset}, cached under {@code cacheDirectory}.
     * With {@code strict}, any unreadable image is an error, even one skipped when the cache was built.
     */
    public static ImageStore load(Path archive, Subset subset, Path cacheDirectory, boolean strict, PrintStream log) {
        String key = CacheLocation.key(archive, subset);
        Path cache = CacheLocation.file(cacheDirectory, key);
        ImageStore store = null;
        if (Files.exists(cache)) {
            try {
                store = ImageStore.open(cache, key);
            } catch (DataException e) {
                log.println("simil: cache " + cache + " is stale or damaged (" + e.getMessage() + "); rebuilding it");
            }
        }
        if (store == null) {
            try (ArchiveReader reader = ArchiveReader.open(archive)) {
                Catalog catalog = TinyImageNetLayout.read(reader, subset);
                log.println("simil: decoding " + catalog.entries().size() + " images of " + archive + " into " + cache);
                ImageCacheBuilder.build(reader, catalog, key, cache, strict, Runtime.getRuntime().availableProcessors(), log);
            }
            store = ImageStore.open(cache, key);
        }
        if (strict && !store.skipped().isEmpty()) {
            throw new DataException(store.skipped().get(0) + " (skipped when the cache was built; --strict forbids it)");
        }
        return store;
    }
}
