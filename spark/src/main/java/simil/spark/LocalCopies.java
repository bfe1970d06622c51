package simil.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Files of any Hadoop filesystem as local files, for the engine, which reads zips and model directories by path: a
 * file on the local filesystem is used where it is, any other is copied into a temporary folder once per JVM (an
 * executor copies a zip once however many of its tasks read it) and removed when the JVM exits.
 */
final class LocalCopies {
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

    private LocalCopies() {}

    /** The local file that {@code location} (a path or URI of any Hadoop filesystem) is, or a copy of it. */
    static Path of(String location, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
            FileSystem fs = path.getFileSystem(conf);
            org.apache.hadoop.fs.Path qualified = fs.makeQualified(path);
            if (fs.getScheme().equals("file")) return Path.of(qualified.toUri());
            return COPIES.computeIfAbsent(qualified.toString(), key -> copy(fs, qualified));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + location + ": " + e.getMessage(), e);
        }
    }

    /** A folder for this JVM's files, removed with what is in it when the JVM exits. */
    static Path temporaryFolder(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary folder: " + e.getMessage(), e);
        }
    }

    private static Path copy(FileSystem fs, org.apache.hadoop.fs.Path source) {
        Path local = temporaryFolder("simil-spark-copy-").resolve(source.getName());
        try {
            fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + local + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Leaving a temporary file behind at exit is no failure of the job.
        }
    }
}
