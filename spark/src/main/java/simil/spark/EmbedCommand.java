package simil.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import simil.scoring.EmbeddingsFile;
import simil.scoring.Evaluation;
import simil.scoring.ImageEmbedder;
import simil.tensor.Tensor;

/**
 * {@code simil-spark embed}: images from folders, zips or lists on any Hadoop filesystem become a Parquet folder of
 * embeddings ({@link EmbeddingsTable}), one file per partition. The model is broadcast; each executor loads it once per
 * task slot. A partition holds a whole number of batches, counted from the first image, so that each image is embedded
 * in the batch {@code simil eval} would embed it in (an embedding's last bits can depend on its batch).
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed images (folders, zips, lists of paths; any Hadoop filesystem) with a model, into a Parquet folder.",
                "Rows: index (the image's place in the input), id (its path), label (its class, when known), vector (float[F])."})
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train), on any Hadoop filesystem.")
    String model;

    @Option(names = "--images", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Folders (every image under them), zips (every image in them), lists (.txt or .tsv: a path or ZIP!/entry a line, "
                    + "optionally a tab and its label) or image files.")
    List<String> images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The Parquet folder to write (must not exist).")
    String out;

    @Option(names = "--label-depth", defaultValue = "0", paramLabel = "D",
            description = "An image's label is the name of the folder D levels above it (1: its own; TinyImageNet's train/: 2); "
                    + "a list's labels come first; default: ${DEFAULT-VALUE} (none).")
    int labelDepth;

    @Option(names = "--batch", defaultValue = "" + Evaluation.EMBED_BATCH, paramLabel = "N",
            description = "Images per tower pass (default: ${DEFAULT-VALUE}, as simil eval embeds a split; simil embed takes " + ImageEmbedder.BATCH + ").")
    int batch;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE", description = "Where each executor computes: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    /** Images of one partition: the index of its first and the images. */
    private record Part(long first, List<ImageInputs.Image> images) implements java.io.Serializable {}

    @Override
    public Integer call() {
        if (batch < 1) throw new IllegalArgumentException("--batch " + batch + ": must be 1 or more");
        if (labelDepth < 0) throw new IllegalArgumentException("--label-depth " + labelDepth + ": must be 0 (no label) or more");
        SparkSession spark = SimilSpark.session("embed");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        SimilSpark.requireAbsent(out, conf);
        ShippedModel shipped = ShippedModel.read(model, device, conf);
        String architecture;
        int dimension;
        try (ShippedModel.Lease lease = shipped.lease()) {
            architecture = lease.model().architecture();
            dimension = lease.model().embeddingSize();
        }
        long start = System.nanoTime();
        List<ImageInputs.Image> all = ImageInputs.list(images, labelDepth, conf);
        // About four partitions per task slot, each a whole number of batches.
        int perPart = batch * (int) Math.max(1, Math.ceil(all.size() / (4.0 * jsc.defaultParallelism() * batch)));
        List<Part> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += perPart) {
            parts.add(new Part(from, new ArrayList<>(all.subList(from, Math.min(all.size(), from + perPart)))));
        }
        System.err.printf(Locale.ROOT, "embedding %d images in %d partitions%n", all.size(), parts.size());
        Broadcast<ShippedModel> modelBroadcast = jsc.broadcast(shipped);
        HadoopConf hadoop = new HadoopConf(conf);
        int batch = this.batch;
        JavaRDD<Row> rows = jsc.parallelize(parts, parts.size()).flatMap(part -> embed(modelBroadcast.value(), hadoop, batch, part).iterator());
        spark.createDataFrame(rows, EmbeddingsTable.SCHEMA).write().parquet(out);
        EmbeddingsTable.writeMetadata(out, new EmbeddingsTable.Metadata(EmbeddingsFile.FORMAT, EmbeddingsFile.VERSION, architecture, model,
                shipped.sha256(), dimension, all.size(), "images " + String.join(" ", images)), conf);
        System.err.printf(Locale.ROOT, "wrote %d embeddings of %d floats to %s in %.1f s%n", all.size(), dimension, out,
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /** The rows of one partition's images, embedded {@code batch} at a time from its first. */
    private static List<Row> embed(ShippedModel shipped, HadoopConf conf, int batch, Part part) {
        List<ImageInputs.Image> images = part.images();
        float[] vectors;
        int f;
        try (ShippedModel.Lease lease = shipped.lease()) {
            ImageEmbedder embedder = new ImageEmbedder(lease.model(), lease.normalization(), batch);
            f = lease.model().embeddingSize();
            try (Tensor e = embedder.embed(images.size(), (i, out) -> ImageInputs.read(images.get(i), conf.get(), out, 0))) {
                vectors = lease.model().backend().toArray(e);
            }
        }
        List<Row> rows = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            ImageInputs.Image image = images.get(i);
            rows.add(RowFactory.create(part.first() + i, image.id(), image.label(), Arrays.copyOfRange(vectors, i * f, (i + 1) * f)));
        }
        return rows;
    }
}
