package simil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadTest {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    private HttpServer server;
    private byte[] body;
    /** Requests still to be cut off halfway. */
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private final List<String> ranges = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        body = Files.readAllBytes(Fixtures.zip(dir.resolve("fixture.zip"), Fixtures.archive(2, 30)));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tiny.zip", exchange -> {
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int start = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            if (start > 0) {
                exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
                exchange.sendResponseHeaders(206, body.length - start);
            } else {
                exchange.sendResponseHeaders(200, body.length);
            }
            OutputStream out = exchange.getResponseBody();
            if (cutsLeft.getAndDecrement() > 0) {
                out.write(body, start, (body.length - start) / 2);
                out.flush();
                // An exception escaping the handler makes the server drop the connection mid-body.
                throw new IOException("connection cut on purpose");
            }
            out.write(body, start, body.length - start);
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

    @Test
    void wholeDownloadLandsAsAZip() throws IOException {
        Path target = dir.resolve("data/tiny.zip");
        ArchiveDownloader.download(url("/tiny.zip"), target, quiet);
        assertArrayEquals(body, Files.readAllBytes(target));
        assertFalse(Files.exists(dir.resolve("data/tiny.zip.part")));
    }

    @Test
    void cutConnectionsAreResumedWithRangeRequests() throws IOException {
        cutsLeft.set(2);
        Path target = dir.resolve("tiny.zip");
        ArchiveDownloader.download(url("/tiny.zip"), target, quiet);
        assertArrayEquals(body, Files.readAllBytes(target));
        assertEquals(3, ranges.size());
        assertEquals("null", ranges.get(0));
        assertEquals("bytes=" + body.length / 2 + "-", ranges.get(1));
    }

    @Test
    void aPartFileLeftByAnEarlierRunIsResumed() throws IOException {
        Path target = dir.resolve("tiny.zip");
        Files.write(dir.resolve("tiny.zip.part"), Arrays.copyOf(body, 1000));
        ArchiveDownloader.download(url("/tiny.zip"), target, quiet);
        assertEquals(List.of("bytes=1000-"), ranges);
        assertArrayEquals(body, Files.readAllBytes(target));
    }

    @Test
    void somethingThatIsNotAZipIsRejectedAndRemoved() {
        Path target = dir.resolve("tiny.zip");
        DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/notzip"), target, quiet));
        assertTrue(e.getMessage().contains("not a complete zip"), e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(dir.resolve("tiny.zip.part")));
    }

    @Test
    void missingFileOnTheServerIsAClearError() {
        DataException e = assertThrows(DataException.class, () -> ArchiveDownloader.download(url("/absent.zip"), dir.resolve("a.zip"), quiet));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void sourceIsDataFlagThenEnvironmentThenLocalZipThenDownload() throws IOException {
        Path flag = Files.write(dir.resolve("flag.zip"), body);
        Path env = Files.write(dir.resolve("env.zip"), body);
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, String> environment = Map.of("SIMIL_DATA", env.toString(), "SIMIL_DATA_URL", url("/tiny.zip").toString());
        assertEquals(flag, DataSource.resolve(flag, environment, work, quiet));
        assertEquals(env, DataSource.resolve(null, environment, work, quiet));
        Map<String, String> urlOnly = Map.of("SIMIL_DATA_URL", url("/tiny.zip").toString());
        Path downloaded = DataSource.resolve(null, urlOnly, work, quiet);
        assertEquals(work.resolve("data/tiny-imagenet-200.zip"), downloaded);
        assertArrayEquals(body, Files.readAllBytes(downloaded));
        assertEquals(downloaded, DataSource.resolve(null, urlOnly, work, quiet));
        assertEquals(1, ranges.size(), "the local zip is reused, not downloaded again");
        DataException e = assertThrows(DataException.class, () -> DataSource.resolve(dir.resolve("nope.zip"), urlOnly, work, quiet));
        assertTrue(e.getMessage().contains("nope.zip"), e.getMessage());
    }
}
