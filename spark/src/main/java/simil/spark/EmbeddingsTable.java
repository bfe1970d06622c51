package simil.spark;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import simil.io.CheckpointException;
import simil.scoring.EmbeddingsFile;

/**
 * Embeddings as {@code simil-spark embed} writes them: a Parquet folder of rows {@code index} (int64: the image's place in
 * the input, from 0), {@code id} (the image's path, as {@code simil embed} names it), {@code label} (its class, null when
 * not known) and {@code vector} (float32[F]), one file per partition, and beside them {@value #METADATA} (which Spark's
 * readers pass over, as every file whose name starts with an underscore): the format and its version as in an embeddings
 * file of {@code simil embed}, the model, its weights' SHA-256 (so that pairs of another model's embeddings are refused),
 * F, the image count and what was embedded.
 */
final class EmbeddingsTable {
    static final String METADATA = "_simil.json";
    static final StructType SCHEMA = new StructType()
            .add("index", DataTypes.LongType, false)
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private EmbeddingsTable() {}

    /** What {@value #METADATA} holds. */
    record Metadata(@SerializedName("format") String format, @SerializedName("format_version") String formatVersion,
                    @SerializedName("architecture") String architecture, @SerializedName("model") String model,
                    @SerializedName("model_sha256") String modelSha256, @SerializedName("dimension") int dimension,
                    @SerializedName("count") long count, @SerializedName("source") String source) {}

    static void writeMetadata(String dir, Metadata metadata, Configuration conf) {
        Path file = new Path(dir, METADATA);
        try (var out = file.getFileSystem(conf).create(file, false)) {
            out.write((GSON.toJson(metadata) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The metadata of the embeddings in {@code dir}; one line naming the folder when it holds none of this format. */
    static Metadata readMetadata(String dir, Configuration conf) {
        Path file = new Path(dir, METADATA);
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(file)) throw new CheckpointException(dir + ": not embeddings of simil-spark embed (no " + METADATA + " in it)");
            Metadata m;
            try (var in = fs.open(file)) {
                m = GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), Metadata.class);
            }
            if (m == null || !EmbeddingsFile.FORMAT.equals(m.format())) throw new CheckpointException(file + ": not of format " + EmbeddingsFile.FORMAT);
            if (!EmbeddingsFile.VERSION.equals(m.formatVersion())) {
                throw new CheckpointException(file + ": embeddings format version " + m.formatVersion() + ", this build reads " + EmbeddingsFile.VERSION);
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new CheckpointException(file + ": not JSON (" + e.getMessage() + ")");
        }
    }

    /** Some rows of the table, as arrays: what one partition sends the driver. */
    private record Chunk(long[] index, String[] ids, String[] labels, float[] vectors) implements java.io.Serializable {}

    /**
     * The embeddings in {@code dir}, in index order, checked against {@code metadata}: indices 0 .. N-1 each once, every
     * vector of its F floats. Each partition packs its rows into arrays before they travel to the driver.
     */
    static EmbeddingSet read(SparkSession spark, String dir, Metadata metadata) {
        int f = metadata.dimension();
        List<Chunk> chunks = spark.read().schema(SCHEMA).parquet(dir).select("index", "id", "label", "vector").javaRDD()
                .mapPartitions((Iterator<Row> rows) -> List.of(pack(rows, f)).iterator()).collect();
        long total = chunks.stream().mapToLong(c -> c.index().length).sum();
        if (total != metadata.count()) throw new CheckpointException(dir + ": " + total + " rows, its " + METADATA + " says " + metadata.count());
        if (total > Integer.MAX_VALUE / Math.max(1, f)) throw new IllegalArgumentException(dir + ": " + total + " embeddings of " + f + " floats: too many for one set");
        int n = (int) total;
        String[] ids = new String[n], labels = new String[n];
        float[] vectors = new float[n * f];
        boolean[] seen = new boolean[n];
        for (Chunk c : chunks) {
            for (int r = 0; r < c.index().length; r++) {
                long i = c.index()[r];
                if (i < 0 || i >= n || seen[(int) i]) throw new CheckpointException(dir + ": index " + i + " is not one of 0 .. " + (n - 1) + " once");
                seen[(int) i] = true;
                ids[(int) i] = c.ids()[r];
                labels[(int) i] = c.labels()[r];
                System.arraycopy(c.vectors(), r * f, vectors, (int) i * f, f);
            }
        }
        return EmbeddingSet.of(ids, labels, vectors, f);
    }

    private static Chunk pack(Iterator<Row> rows, int f) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        long[] index = new long[all.size()];
        String[] ids = new String[all.size()], labels = new String[all.size()];
        float[] vectors = new float[all.size() * f];
        for (int r = 0; r < all.size(); r++) {
            Row row = all.get(r);
            index[r] = row.getLong(0);
            ids[r] = row.getString(1);
            labels[r] = row.isNullAt(2) ? null : row.getString(2);
            List<Object> v = row.getList(3);
            if (v.size() != f) throw new CheckpointException("embedding " + ids[r] + ": " + v.size() + " floats, the table's are " + f);
            for (int k = 0; k < f; k++) vectors[r * f + k] = (Float) v.get(k);
        }
        return new Chunk(index, ids, labels, vectors);
    }

    /** The distinct labels of a set, sorted: class k of {@link EmbeddingSet#labels}. */
    static String[] classes(String[] labels) {
        return new TreeSet<>(Arrays.asList(labels)).toArray(String[]::new);
    }
}
