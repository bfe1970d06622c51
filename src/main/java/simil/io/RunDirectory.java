package simil.io;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An output folder owned by one simil command while it writes. An exclusive lock on {@value #LOCK} (a
 * {@link LockFile}: held until {@link #close()}, released by the operating system when the process dies) keeps a
 * second writer out, and a marker, {@value #MARKER}, names the kind of output the folder holds, so that simil never
 * writes into a folder of the user's or of another kind of command. Claiming also removes the temporary files a
 * killed write left.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String LOCK = ".simil.lock", MARKER = ".simil.json";
    private static final int NAMES_SHOWN = 3;

    /**
     * A kind of output ("train run", "tokenizer"). {@code signature}: a file only this kind writes, by which a folder
     * made before markers existed is recognized as one (null: none is).
     */
    public record Kind(String name, String signature) {}

    private final Path dir;
    private final LockFile lock;

    private RunDirectory(Path dir, LockFile lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * Checks, writing nothing, that a command of {@code kind} may write into {@code dir}: it is absent, empty, or
     * holds an output of that kind; an IllegalArgumentException naming what is in the way otherwise.
     */
    public static void checkOwnable(Path dir, Kind kind) throws IOException {
        if (!Files.exists(dir)) return;
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is a file, not a folder: choose another --out");
        Path marker = dir.resolve(MARKER);
        if (Files.exists(marker)) {
            String held = kindIn(marker);
            if (!held.equals(kind.name())) {
                throw new IllegalArgumentException(dir + " holds a simil " + held + ", not a " + kind.name() + ": choose another --out");
            }
            return;
        }
        List<String> names;
        try (Stream<Path> entries = Files.list(dir)) {
            names = entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK)).sorted().toList();
        }
        if (names.isEmpty() || (kind.signature() != null && Files.exists(dir.resolve(kind.signature())))) return;
        String shown = String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size())))
                + (names.size() > NAMES_SHOWN ? ", …" : "");
        throw new IllegalArgumentException(dir + " is not empty and not a simil " + kind.name() + " (it holds " + shown
                + "); simil writes only into an empty folder or one of its own: choose another --out");
    }

    /**
     * Takes {@code dir} (created if absent) for a command of {@code kind}: checks it as {@link #checkOwnable} does, locks
     * it, marks it, and removes what killed writes left. An IllegalStateException when another process holds it.
     */
    public static RunDirectory claim(Path dir, Kind kind) throws IOException {
        checkOwnable(dir, kind);
        Files.createDirectories(dir);
        LockFile lock = LockFile.tryAcquire(dir.resolve(LOCK));
        if (lock == null) {
            throw new IllegalStateException(dir + " is in use by another simil process: wait for it to finish, or choose another --out");
        }
        RunDirectory claimed = new RunDirectory(dir, lock);
        try {
            // Another process may have claimed the folder for another kind between the check and the lock.
            checkOwnable(dir, kind);
            if (!Files.exists(dir.resolve(MARKER))) {
                JsonObject marker = new JsonObject();
                marker.addProperty("kind", kind.name());
                AtomicFiles.writeString(dir.resolve(MARKER), marker.toString());
            }
            AtomicFiles.removeLeftovers(dir);
        } catch (IOException | RuntimeException e) {
            claimed.close();
            throw e;
        }
        return claimed;
    }

    public Path path() {
        return dir;
    }

    /** Releases the lock (its file stays: see LockFile). */
    @Override
    public void close() throws IOException {
        lock.close();
    }

    private static String kindIn(Path marker) throws IOException {
        try {
            return JsonParser.parseString(Files.readString(marker)).getAsJsonObject().get("kind").getAsString();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(marker + ": unreadable simil marker; remove it if the folder is yours");
        }
    }
}
