package simil.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import simil.backend.Backends;
import simil.data.Normalization;
import simil.io.CheckpointException;
import simil.io.ModelDirectory;
import simil.models.PairModel;
import simil.models.files.ModelFiles;

/**
 * A model directory's files as bytes, to be broadcast: each executor receives them once, writes them into a local
 * folder once per JVM and loads models from it lazily, one per task running at a time, since a model's layers reuse
 * their buffers ({@link #lease}). The files are those {@link ModelFiles#load} reads: the config, the weights and the
 * pixel normalization where there is one.
 */
final class ShippedModel implements Serializable {
    private static final List<String> FILES = List.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS, ModelDirectory.NORMALIZATION);
    /** This JVM's folder of each model, by its weights' SHA-256. */
    private static final Map<String, Path> FOLDERS = new ConcurrentHashMap<>();
    /** This JVM's loaded models not lent out, by weights and device. */
    private static final Map<String, Deque<Loaded>> IDLE = new ConcurrentHashMap<>();

    private final String location, sha256, device;
    private final Map<String, byte[]> files;

    private ShippedModel(String location, String sha256, String device, Map<String, byte[]> files) {
        this.location = location;
        this.sha256 = sha256;
        this.device = device;
        this.files = files;
    }

    /** A model loaded in this JVM, and the pixel normalization it was trained with. */
    record Loaded(PairModel model, Normalization normalization) {}

    /** A loaded model lent to one task; {@link #close} gives it back to this JVM's idle ones. */
    static final class Lease implements AutoCloseable {
        private final Loaded loaded;
        private final Deque<Loaded> idle;

        private Lease(Loaded loaded, Deque<Loaded> idle) {
            this.loaded = loaded;
            this.idle = idle;
        }

        PairModel model() { return loaded.model(); }

        Normalization normalization() { return loaded.normalization(); }

        @Override
        public void close() {
            idle.push(loaded);
        }
    }

    /**
     * The model directory {@code dir} (on any Hadoop filesystem), to be computed on {@code device} (cpu, cuda, cuda:N) by
     * every executor; one line naming the directory when it holds no model.
     */
    static ShippedModel read(String dir, String device, Configuration conf) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = root.getFileSystem(conf);
            for (String name : FILES) {
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(root, name);
                if (!fs.exists(file)) {
                    if (name.equals(ModelDirectory.NORMALIZATION)) continue;
                    throw new CheckpointException(dir + " is not a model directory: it has no " + name);
                }
                try (var in = fs.open(file)) {
                    files.put(name, in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + dir + ": " + e.getMessage(), e);
        }
        // The SHA-256 the engine records in embeddings files, of the files as this JVM wrote them (its tasks load them there).
        Path local = write(files);
        String sha256 = ModelFiles.weightsSha256(local);
        FOLDERS.putIfAbsent(sha256, local);
        return new ShippedModel(dir, sha256, device, files);
    }

    /** The directory as it was given. */
    String location() { return location; }

    /** The SHA-256 of the weights file, as {@link ModelFiles#weightsSha256} gives it. */
    String sha256() { return sha256; }

    String device() { return device; }

    /** A model of this JVM's for one task: an idle one, or one loaded now. */
    Lease lease() {
        Deque<Loaded> idle = IDLE.computeIfAbsent(sha256 + " on " + device, key -> new ConcurrentLinkedDeque<>());
        Loaded loaded = idle.poll();
        if (loaded == null) {
            Path dir = FOLDERS.computeIfAbsent(sha256, key -> write(files));
            loaded = new Loaded(ModelFiles.load(Backends.open(device), dir), ModelFiles.readNormalization(dir));
        }
        return new Lease(loaded, idle);
    }

    /** The files in a new folder of this JVM's. */
    private static Path write(Map<String, byte[]> files) {
        Path dir = LocalCopies.temporaryFolder("simil-spark-model-");
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) Files.write(dir.resolve(file.getKey()), file.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model into " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }
}
