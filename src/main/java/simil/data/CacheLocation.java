package simil.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/** Where decoded images are cached, and under which key, so a changed archive or subset never reuses a stale file. */
public final class CacheLocation {
    /** What a cache file's name ends with. */
    static final String SUFFIX = ".images";

    private CacheLocation() {}

    /** {@code $SIMIL_CACHE}, else {@code $XDG_CACHE_HOME/simil}, else {@code ~/.cache/simil}. */
    public static Path directory(Map<String, String> env) {
        String simil = env.get("SIMIL_CACHE");
        if (simil != null && !simil.isBlank()) return Path.of(simil);
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "simil");
        return Path.of(System.getProperty("user.home"), ".cache", "simil");
    }

    /** Identifies the archive's content by path, size and modification time (for a folder: its files' total size and latest time), plus the subset. */
    public static String key(Path archive, Subset subset) {
        Path absolute = archive.toAbsolutePath().normalize();
        long size;
        long modified;
        try {
            if (Files.isDirectory(absolute)) {
                long[] sizeAndTime = new long[2];
                try (Stream<Path> walk = Files.walk(absolute)) {
                    for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        sizeAndTime[0] += Files.size(p);
                        sizeAndTime[1] = Math.max(sizeAndTime[1], Files.getLastModifiedTime(p).toMillis());
                    }
                }
                size = sizeAndTime[0];
                modified = sizeAndTime[1];
            } else {
                size = Files.size(absolute);
                modified = Files.getLastModifiedTime(absolute).toMillis();
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + absolute + ": " + e.getMessage(), e);
        }
        return "tinyimagenet|" + absolute + "|" + size + "|" + modified + "|classes=" + subset.classes() + "|perClass=" + subset.perClass();
    }

    /** The lock file that builders of {@code cacheFile} hold, so that one builds while the others wait for its result. */
    public static Path lockFile(Path cacheFile) {
        return cacheFile.resolveSibling(cacheFile.getFileName() + ".lock");
    }

    /** The cache file for {@code key} inside {@code directory}. */
    public static Path file(Path directory, String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return directory.resolve("tinyimagenet-" + HexFormat.of().formatHex(hash, 0, 8) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
