package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static simil.testing.Folders.names;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.io.LockFile;
import simil.testing.SmallDisk;

class DownloadTest {
    private static final String LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
    private HttpServer server;
    /** What the server serves, its ETag, and whether it sends ETag and Last-Modified at all. */
    private volatile byte[] body;
    private volatile String etag = "\"v1\"";
    private volatile boolean validators = true;
    /** Whether the body goes out chunked, without a Content-Length. */
    private volatile boolean chunked;
    /** Requests still to be cut off halfway, and then those to be answered 503. */
    private final AtomicInteger cutsLeft = new AtomicInteger(), unavailableLeft = new AtomicInteger();
    /** Each request's Range and If-Range headers ("null" when absent). */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        body = Files.readAllBytes(Fixtures.zip(dir.resolve("fixture.zip"), Fixtures.archive(2, 30)));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tiny.zip", exchange -> {
            Headers asked = exchange.getRequestHeaders();
            String range = asked.getFirst("Range"), ifRange = asked.getFirst("If-Range");
            requests.add(range + " " + ifRange);
            if (cutsLeft.get() <= 0 && unavailableLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] served = body;
            int start = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            // If-Range: the range only while the file is still the one the client names, else the whole file.
            if (ifRange != null && !ifRange.equals(etag) && !ifRange.equals(LAST_MODIFIED)) start = 0;
            if (validators) {
                exchange.getResponseHeaders().add("ETag", etag);
                exchange.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
            }
            if (start > 0) {
                exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (served.length - 1) + "/" + served.length);
                exchange.sendResponseHeaders(206, served.length - start);
            } else {
                exchange.sendResponseHeaders(200, chunked ? 0 : served.length);
            }
            OutputStream out = exchange.getResponseBody();
            if (cutsLeft.getAndDecrement() > 0) {
                out.write(served, start, (served.length - start) / 2);
                out.flush();
                // An exception escaping the handler makes the server drop the connection mid-body.
                throw new IOException("connection cut on purpose");
            }
            out.write(served, start, served.length - start);
            out.close();
        });
        server.createContext("/notzip", exchange -> {
            byte[] text = "<html>moved</html>".getBytes();
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private String takeLog() {
        String s = logged.toString(StandardCharsets.UTF_8);
        logged.reset();
        return s;
    }


    @Test
    void wholeDownloadLandsAsAZipAndLeavesNothingElse() throws IOException {
        Path target = dir.resolve("data/tiny.zip");
        ArchiveDownloader.download(url("/tiny.zip"), target, log);
        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("tiny.zip"), names(dir.resolve("data")));
    }

    @Test
    void cutConnectionsAreResumedOnlyForTheSameFile() throws IOException {
        cutsLeft.set(2);
        Path target = dir.resolve("tiny.zip");
        ArchiveDownloader.download(url("/tiny.zip"), target, log);
        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(List.of("null null", "bytes=" + body.length / 2 + "- \"v1\"", "bytes=" + (body.length / 2 + (body.length - body.length / 2) / 2) + "- \"v1\""),
                requests);
    }

    @Test
    void aPartLeftByAnEarlierRunIsResumedWhenTheServerShowsItIsTheSameFile() throws IOException {
        Path target = dir.resolve("tiny.zip");
        failOnceHalfway(target);
        ArchiveDownloader.download(url("/tiny.zip"), target, log);
        assertEquals("bytes=" + body.length / 2 + "- \"v1\"", requests.get(requests.size() - 1));
        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void aFileThatChangedOnTheServerIsFetchedAgainFromTheStart() throws IOException {
        Path target = dir.resolve("tiny.zip");
        failOnceHalfway(target);
        body = Files.readAllBytes(Fixtures.zip(dir.resolve("other.zip"), Fixtures.archive(3, 30)));
        etag = "\"v2\"";
        takeLog();
        ArchiveDownloader.download(url("/tiny.zip"), target, log);
        assertArrayEquals(body, Files.readAllBytes(target), "the new file, not the old half with the new one's tail");
        assertTrue(takeLog().contains("changed since"));
    }

    @Test
    void aPartWithoutARecordOfItsFileStartsOver() throws IOException {
        Path target = dir.resolve("tiny.zip");
        Files.write(dir.resolve("tiny.zip.part"), Arrays.copyOf(body, 1000));
        ArchiveDownloader.download(url("/tiny.zip"), target, log);
        assertEquals(List.of("null null"), requests);
        assertArrayEquals(body, Files.readAllBytes(target));
        assertTrue(takeLog().contains("cannot be shown to be part of " + url("/tiny.zip")));
    }

    @Test
    void aServerWithoutValidatorsIsNeverResumed() throws IOException {
        validators = false;
        cutsLeft.set(1);
        Path target = dir.resolve("tiny.zip");
        ArchiveDownloader.download(url("/tiny.zip"), target, log);
        assertEquals(List.of("null null", "null null"), requests);
        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void somethingThatIsNotAZipIsRejectedAndRemoved() throws IOException {
        Path target = dir.resolve("data/tiny.zip");
        DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/notzip"), target, log));
        assertTrue(e.getMessage().contains("not a complete zip"), e.getMessage());
        assertEquals(List.of("tiny.zip.lock"), names(dir.resolve("data")));
    }

    @Test
    void aZipWithADamagedEntryIsRejectedAndRemoved() throws IOException {
        String entry = Fixtures.ROOT + "train/" + Fixtures.wnid(1) + "/images/" + Fixtures.wnid(1) + "_3.JPEG";
        body = damaged(body, entry);
        Path target = dir.resolve("data/tiny.zip");
        DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/tiny.zip"), target, log));
        assertTrue(e.getMessage().startsWith("downloaded file from " + url("/tiny.zip") + " is not a complete zip (entry " + entry), e.getMessage());
        assertTrue(e.getMessage().endsWith("; removed it"), e.getMessage());
        assertEquals(List.of("tiny.zip.lock"), names(dir.resolve("data")));
    }

    @Test
    void missingFileOnTheServerIsAClearError() {
        DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/absent.zip"), dir.resolve("a.zip"), log));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void aDiskTooSmallForTheAnnouncedLengthIsRefusedBeforeWriting() throws Exception {
        body = Files.readAllBytes(Fixtures.zip(dir.resolve("big.zip"), Fixtures.archive(4, 60)));
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 64)) {
            assertTrue(body.length > 64 * 1024, "the archive must not fit: " + body.length);
            Path target = dir.resolve("disk/tiny.zip");
            DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/tiny.zip"), target, log));
            assertTrue(e.getMessage().startsWith("no space left on device for " + dir.resolve("disk/tiny.zip.part") + " (needs "), e.getMessage());
            assertFalse(Files.exists(dir.resolve("disk/tiny.zip.part")));
        }
    }

    @Test
    void aDiskThatFillsDuringTheDownloadIsOneLineAndRemovesThePart() throws Exception {
        body = Files.readAllBytes(Fixtures.zip(dir.resolve("big.zip"), Fixtures.archive(4, 60)));
        chunked = true; // no length announced: nothing to check the room against beforehand
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 64)) {
            Path target = dir.resolve("disk/tiny.zip");
            DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/tiny.zip"), target, log));
            assertTrue(e.getMessage().startsWith("no space left on device writing " + dir.resolve("disk/tiny.zip.part") + " ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("; removed the partial download"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(List.of("tiny.zip.lock"), names(dir.resolve("disk")));
        }
    }

    @Test
    void aSecondDownloaderWaitsForTheFirstAndUsesItsArchive() throws Exception {
        Path target = dir.resolve("data/tiny.zip");
        CompletableFuture<Void> second;
        try (LockFile first = LockFile.acquire(dir.resolve("data/tiny.zip.lock"), "", log)) {
            second = CompletableFuture.runAsync(() -> ArchiveDownloader.download(url("/tiny.zip"), target, log));
            for (int i = 0; i < 600 && !logged.toString(StandardCharsets.UTF_8).contains("waiting for another simil process downloading " + target); i++) {
                Thread.sleep(50);
            }
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains("waiting for another simil process downloading"), takeLog());
            Files.write(target, body);
        }
        second.join();
        assertEquals(List.of(), requests, "the waiter finds the archive and downloads nothing");
    }

    @Test
    void sourceIsDataFlagThenEnvironmentThenLocalZipThenDownload() throws IOException {
        Path flag = Files.write(dir.resolve("flag.zip"), body);
        Path env = Files.write(dir.resolve("env.zip"), body);
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, String> environment = Map.of("SIMIL_DATA", env.toString(), "SIMIL_DATA_URL", url("/tiny.zip").toString());
        assertEquals(flag, DataSource.resolve(flag, environment, work, log));
        assertEquals(env, DataSource.resolve(null, environment, work, log));
        Map<String, String> urlOnly = Map.of("SIMIL_DATA_URL", url("/tiny.zip").toString());
        Path downloaded = DataSource.resolve(null, urlOnly, work, log);
        assertEquals(work.resolve("data/tiny-imagenet-200.zip"), downloaded);
        assertArrayEquals(body, Files.readAllBytes(downloaded));
        assertEquals(downloaded, DataSource.resolve(null, urlOnly, work, log));
        assertEquals(1, requests.size(), "the local zip is reused, not downloaded again");
        DataException e = assertThrows(DataException.class, () -> DataSource.resolve(dir.resolve("nope.zip"), urlOnly, work, log));
        assertTrue(e.getMessage().contains("nope.zip"), e.getMessage());
    }

    /** Runs a download whose connection is cut halfway and whose server is then unavailable: it fails, keeping half the file. */
    private void failOnceHalfway(Path target) throws IOException {
        cutsLeft.set(1);
        unavailableLeft.set(1);
        DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/tiny.zip"), target, log));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertEquals(body.length / 2, Files.size(dir.resolve(target.getFileName() + ".part")));
    }

    /** {@code zip} with one byte of {@code entry}'s compressed data changed (its local header and the directory intact). */
    private static byte[] damaged(byte[] zip, String entry) {
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        int at = 0;
        while (!Arrays.equals(zip, at, at + name.length, name, 0, name.length)) at++; // first: the local header's copy
        ByteBuffer header = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int data = at + name.length + (header.getShort(at - 2) & 0xFFFF);
        byte[] copy = zip.clone();
        copy[data + 10] ^= 0x55;
        return copy;
    }
}
