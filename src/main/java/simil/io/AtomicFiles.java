package simil.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that a reader (or a crash) never sees half of one: temporary file, fsync, rename. A failed write
 * (a full disk) leaves no temporary file and throws one line naming the file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The temporary files {@link #write} makes: ".NAME", the random digits of createTempFile, ".tmp". */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+[0-9]+\\.tmp");

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            writeAside(file, dir, writer);
        } catch (IOException e) {
            throw WriteFailure.of(file.toString(), dir, e, -1);
        }
    }

    private static void writeAside(Path file, Path dir, Writer writer) throws IOException {
        Files.createDirectories(dir);
        // A temporary file is created owner-only; results are meant to be read by others like any file.
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its default permissions
        }
        try {
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Deletes the temporary files that writes into {@code dir} left behind when their process was killed. Only the
     * directory's owner may call it (see RunDirectory): a write in progress would lose its file.
     */
    public static void removeLeftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) Files.delete(p);
            }
        }
    }

    /** Makes the renames inside {@code dir} durable: a rename is only as durable as its directory entry. */
    public static void syncDirectory(Path dir) {
        try (var channel = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for syncing; their renames are as durable as they make them.
        }
    }
}
