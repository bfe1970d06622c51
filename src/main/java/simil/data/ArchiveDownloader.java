package simil.data;

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
import java.util.zip.ZipFile;

/**
 * Downloads an archive into {@code <target>.part}, resuming with an HTTP Range request after a broken connection (also
 * across runs), and renames it to {@code target} only once it is complete and opens as a zip.
 */
public final class ArchiveDownloader {
    /** Consecutive attempts that make no progress before giving up. */
    private static final int MAX_STALLED_ATTEMPTS = 3;
    private static final int TIMEOUT_MS = 30_000;

    private ArchiveDownloader() {}

    /** Downloads {@code url} to {@code target}, drawing a progress bar on {@code log}; {@link DataException} when it cannot. */
    public static void download(URI url, Path target, PrintStream log) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            int stalled = 0;
            while (true) {
                long before = Files.exists(part) ? Files.size(part) : 0;
                try {
                    fetch(url, part, log);
                    break;
                } catch (IOException e) {
                    long after = Files.exists(part) ? Files.size(part) : 0;
                    stalled = after > before ? 0 : stalled + 1;
                    if (stalled >= MAX_STALLED_ATTEMPTS) {
                        throw new DataException("download of " + url + " failed (" + e.getMessage() + "); " + after + " bytes kept in " + part + ", run again to resume", e);
                    }
                    log.println("simil: download interrupted at " + after + " bytes (" + e.getMessage() + "); resuming");
                }
            }
            try (ZipFile zip = new ZipFile(part.toFile())) {
                log.println("simil: downloaded " + zip.size() + " zip entries to " + target);
            } catch (IOException e) {
                Files.delete(part);
                throw new DataException("downloaded file from " + url + " is not a complete zip (" + e.getMessage() + "); removed it", e);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataException("cannot save the download to " + part + ": " + e.getMessage(), e);
        }
    }

    /** One request, appending to {@code part} from where it ends; returns normally only when the whole body arrived. */
    private static void fetch(URI url, Path part, PrintStream log) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpURLConnection http = (HttpURLConnection) url.toURL().openConnection();
        http.setConnectTimeout(TIMEOUT_MS);
        http.setReadTimeout(TIMEOUT_MS);
        if (have > 0) http.setRequestProperty("Range", "bytes=" + have + "-");
        try {
            int code = http.getResponseCode();
            long total;
            if (code == HttpURLConnection.HTTP_PARTIAL) {
                total = resumedTotal(http.getHeaderField("Content-Range"), have, url);
            } else if (code == 416 && have > 0) {
                return; // Nothing left to fetch: the part file already holds the whole archive.
            } else if (code == HttpURLConnection.HTTP_OK) {
                have = 0; // The server ignored the range: start over.
                total = http.getContentLengthLong();
            } else {
                throw new DataException("download of " + url + " failed: HTTP " + code + " " + http.getResponseMessage());
            }
            ProgressBar bar = new ProgressBar(log, "downloading", total, "MB", 1e6);
            StandardOpenOption mode = have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            long written = have;
            try (InputStream in = http.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
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

    /** The full size from a "bytes start-end/total" header, checking the server resumed where the part file ends. */
    private static long resumedTotal(String contentRange, long have, URI url) throws IOException {
        if (contentRange == null || !contentRange.startsWith("bytes ")) throw new IOException("partial response without Content-Range");
        String[] rangeAndTotal = contentRange.substring(6).split("/");
        long start = Long.parseLong(rangeAndTotal[0].split("-")[0].trim());
        if (start != have) throw new IOException(url + " resumed at byte " + start + ", expected " + have);
        return rangeAndTotal[1].trim().equals("*") ? -1 : Long.parseLong(rangeAndTotal[1].trim());
    }
}
