package simil.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One line saying that a file could not be written and why, naming the file; a full disk is said plainly, with the
 * room the file needed and the room there was.
 */
public final class WriteFailure {
    private WriteFailure() {}

    /**
     * An exception for a failed write of {@code file} (what the user knows it as, e.g. "image cache x.images"),
     * {@code bytesNeeded} long or -1 when unknown.
     */
    public static IOException of(String file, Path where, IOException cause, long bytesNeeded) {
        long free = usableSpace(where);
        boolean full = isOutOfSpace(cause) || (bytesNeeded >= 0 && free >= 0 && free < bytesNeeded);
        if (!full) return new IOException("cannot write " + file + ": " + cause.getMessage(), cause);
        return new IOException("no space left on device writing " + file + " (" + room(bytesNeeded, free) + ")", cause);
    }

    /** Fails before anything is written when the file system of {@code where} has less than {@code bytes} free. */
    public static void checkRoom(String file, Path where, long bytes) throws IOException {
        long free = usableSpace(where);
        if (free >= 0 && free < bytes) throw new IOException("no space left on device for " + file + " (" + room(bytes, free) + ")");
    }

    /** {@code bytes} in megabytes (10^6), one decimal. */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** ENOSPC or EDQUOT as the JDK words them. */
    static boolean isOutOfSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }

    private static String room(long needed, long free) {
        String has = free >= 0 ? megabytes(free) + " free" : "free space unknown";
        return needed >= 0 ? "needs " + megabytes(needed) + ", " + has : has;
    }

    /** Bytes free to this process on the file system holding {@code where} (or its nearest existing parent), -1 if unknown. */
    private static long usableSpace(Path where) {
        for (Path p = where.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p).getUsableSpace();
                } catch (IOException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
