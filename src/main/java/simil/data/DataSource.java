package simil.data;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Decides where the dataset comes from: {@code --data}, then {@code $SIMIL_DATA}, then {@code ./data/tiny-imagenet-200.zip}, else a download. */
public final class DataSource {
    /** The official archive. */
    public static final String OFFICIAL_URL = "http://cs231n.stanford.edu/tiny-imagenet-200.zip";
    /** Where a downloaded archive is kept, relative to the working directory. */
    public static final Path DEFAULT_ARCHIVE = Path.of("data", "tiny-imagenet-200.zip");

    private DataSource() {}

    /**
     * The archive to read. {@code explicit} (may be null) and {@code $SIMIL_DATA} must exist when given; with neither,
     * {@code workingDirectory/data/tiny-imagenet-200.zip} is used, downloaded first from {@code $SIMIL_DATA_URL}
     * (or the official URL) when absent.
     */
    public static Path resolve(Path explicit, Map<String, String> env, Path workingDirectory, PrintStream log) {
        if (explicit != null) return existing(explicit, "--data");
        String fromEnv = env.get("SIMIL_DATA");
        if (fromEnv != null && !fromEnv.isBlank()) return existing(Path.of(fromEnv), "$SIMIL_DATA");
        Path local = workingDirectory.resolve(DEFAULT_ARCHIVE);
        if (Files.exists(local)) return local;
        String url = env.getOrDefault("SIMIL_DATA_URL", OFFICIAL_URL);
        log.println("simil: no dataset given (--data, $SIMIL_DATA) and no " + local + "; downloading " + url);
        ArchiveDownloader.download(URI.create(url), local, log);
        return local;
    }

    private static Path existing(Path path, String origin) {
        if (!Files.exists(path)) throw new DataException("data not found: " + path + " (from " + origin + ")");
        return path;
    }
}
