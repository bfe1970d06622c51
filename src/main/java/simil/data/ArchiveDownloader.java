package simil.data;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import simil.io.AtomicFiles;
import simil.io.LockFile;
import simil.io.ProgressBar;
import simil.io.WriteFailure;

/**
 * Downloads an archive into {@code <target>.part}, resuming with an HTTP Range request after a broken connection (also
 * across runs) only when the server proves it still serves the same file: the part's ETag or Last-Modified, kept in
 * {@code <target>.part.json}, goes out as If-Range, and anything but the requested range starts the file over. The
 * result is renamed to {@code target} only once it has the announced length and every zip entry reads back with its
 * CRC. One process downloads at a time ({@code <target>.lock}); a full disk is one line and removes the part.
 */
public final class ArchiveDownloader {
    /** Consecutive attempts that make no progress before giving up. */
    private static final int MAX_STALLED_ATTEMPTS = 3;
    private static final int TIMEOUT_MS = 30_000;

    private ArchiveDownloader() {}

    /** What identifies the file a part belongs to: its URL, the server's validators for it, and its full length (-1: unknown). */
    record RemoteFile(String url, String etag, String lastModified, long length) {
        /** The If-Range value that proves a resumed range belongs to this file, or null when there is none. */
        String validator() {
            if (etag != null && !etag.startsWith("W/")) return etag; // If-Range takes only a strong ETag
            return lastModified;
        }
    }

    /** Downloads {@code url} to {@code target}, drawing a progress bar on {@code log}; {@link DataException} when it cannot. */
    public static void download(URI url, Path target, PrintStream log) {
        Path part = part(target);
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (LockFile lock = LockFile.acquire(lockFile, "downloading " + target, log)) {
                if (Files.exists(target)) return; // the process this one waited for has downloaded it
                fetchWithRetries(url, part, log);
                verify(url, part, recorded(part));
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(recordFile(part));
                // Safe to remove now: whoever takes the lock next sees the archive and does not download.
                Files.deleteIfExists(lockFile);
            }
        } catch (IOException e) {
            throw new DataException("cannot save the download to " + part + ": " + e.getMessage(), e);
        }
    }

    private static Path part(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** Where the part's {@link RemoteFile} is kept. */
    private static Path recordFile(Path part) {
        return part.resolveSibling(part.getFileName() + ".json");
    }

    private static void fetchWithRetries(URI url, Path part, PrintStream log) throws IOException {
        int stalled = 0;
        while (true) {
            long before = size(part);
            try {
                fetch(url, part, log);
                return;
            } catch (IOException e) {
                long after = size(part);
                stalled = after > before ? 0 : stalled + 1;
                if (stalled >= MAX_STALLED_ATTEMPTS) {
                    throw new DataException("download of " + url + " failed (" + e.getMessage() + "); " + after + " bytes kept in " + part + ", run again to resume", e);
                }
                log.println("simil: download interrupted at " + after + " bytes (" + e.getMessage() + "); resuming");
            }
        }
    }

    /** One request, appending to {@code part} where it ends when the server proves it is the same file; returns normally only when the whole body arrived. */
    private static void fetch(URI url, Path part, PrintStream log) throws IOException {
        long have = size(part);
        RemoteFile known = have > 0 ? recorded(part) : null;
        if (have > 0 && (known == null || !known.url().equals(url.toString()) || known.validator() == null)) {
            log.println("simil: " + part + " cannot be shown to be part of " + url + " (no ETag or Last-Modified recorded); starting over");
            have = 0;
            known = null;
        }
        HttpURLConnection http = (HttpURLConnection) url.toURL().openConnection();
        http.setConnectTimeout(TIMEOUT_MS);
        http.setReadTimeout(TIMEOUT_MS);
        if (have > 0) {
            http.setRequestProperty("Range", "bytes=" + have + "-");
            http.setRequestProperty("If-Range", known.validator());
        }
        try {
            int code = http.getResponseCode();
            long total;
            if (code == HttpURLConnection.HTTP_PARTIAL && have > 0) {
                total = resumedTotal(http.getHeaderField("Content-Range"), have, url);
                if (known.length() >= 0 && total != known.length()) throw new IOException(url + " now has " + total + " bytes, the partial download " + known.length());
            } else if (code == 416 && have > 0) {
                if (have == known.length()) return; // Nothing left to fetch: the part file already holds the whole archive.
                removeQuietly(part);
                throw new IOException(url + " refused to resume at byte " + have + "; starting over");
            } else if (code == HttpURLConnection.HTTP_OK) {
                if (have > 0) log.println("simil: " + url + " changed since " + part + " was begun (or its server does not resume); starting over");
                have = 0;
                total = http.getContentLengthLong();
                Files.deleteIfExists(part); // its room counts for the new file
                record(part, new RemoteFile(url.toString(), http.getHeaderField("ETag"), http.getHeaderField("Last-Modified"), total));
            } else {
                throw new DataException("download of " + url + " failed: HTTP " + code + " " + http.getResponseMessage());
            }
            if (total >= 0) checkRoom(part, total - have);
            ProgressBar bar = new ProgressBar(log, "downloading", total, "MB", 1e6);
            StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            long written = have;
            try (InputStream in = http.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    write(out, buffer, n, part, total);
                    written += n;
                    bar.update(written);
                }
            } finally {
                bar.finish();
            }
            if (total > 0 && written != total) throw new IOException("connection closed after " + written + " of " + total + " bytes");
        } finally {
            http.disconnect();
        }
    }

    /** Keeps what identifies the file beside its part; failing to (a full disk) is no reason to retry. */
    private static void record(Path part, RemoteFile remote) {
        try {
            AtomicFiles.writeString(recordFile(part), new Gson().toJson(remote));
        } catch (IOException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /** Fails before anything is written when the disk lacks room for the rest of the download. */
    private static void checkRoom(Path part, long bytes) {
        try {
            WriteFailure.checkRoom(part.toString(), part.toAbsolutePath().getParent(), bytes);
        } catch (IOException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /** Writes a chunk of the body; a failed write (a full disk) is no reason to retry: it removes the part and fails. */
    private static void write(OutputStream out, byte[] buffer, int n, Path part, long total) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            String message = WriteFailure.of(part.toString(), part.toAbsolutePath().getParent(), e, total).getMessage();
            removeQuietly(part);
            throw new DataException(message + "; removed the partial download", e);
        }
    }

    /** Checks the finished part: the length the server announced, and every entry of its central directory read back against its CRC. */
    private static void verify(URI url, Path part, RemoteFile remote) throws IOException {
        String problem;
        if (remote != null && remote.length() >= 0 && Files.size(part) != remote.length()) {
            problem = Files.size(part) + " bytes, the server announced " + remote.length();
        } else {
            problem = zipProblem(part);
        }
        if (problem != null) {
            removeQuietly(part);
            throw new DataException("downloaded file from " + url + " is not a complete zip (" + problem + "); removed it");
        }
    }

    /** Why {@code file} is not a sound zip, or null when every entry reads back with its size and CRC. */
    static String zipProblem(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            byte[] buffer = new byte[1 << 16];
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                CRC32 crc = new CRC32();
                long size = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    for (int n; (n = in.read(buffer)) > 0; size += n) crc.update(buffer, 0, n);
                } catch (IOException e) {
                    return "entry " + entry.getName() + ": " + e.getMessage();
                }
                if (size != entry.getSize() || crc.getValue() != entry.getCrc()) return "entry " + entry.getName() + " fails its CRC";
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static RemoteFile recorded(Path part) {
        try {
            return new Gson().fromJson(Files.readString(recordFile(part)), RemoteFile.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long size(Path part) throws IOException {
        return Files.exists(part) ? Files.size(part) : 0;
    }

    private static void removeQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
            Files.deleteIfExists(recordFile(part));
        } catch (IOException e) {
            // the message that follows names the part; leaving it is all that can go wrong here
        }
    }

    /** The full size from a "bytes start-end/total" header, checking the server resumed where the part file ends. */
    private static long resumedTotal(String contentRange, long have, URI url) throws IOException {
        if (contentRange == null || !contentRange.startsWith("bytes ")) throw new IOException("partial response without Content-Range");
        String[] rangeAndTotal = contentRange.substring(6).split("/");
        long start = Long.parseLong(rangeAndTotal[0].split("-")[0].trim());
        if (start != have) throw new IOException(url + " resumed at byte " + start + ", expected " + have);
        return rangeAndTotal[1].trim().equals("*") ? -1 : Long.parseLong(rangeAndTotal[1].trim());
    }
}
