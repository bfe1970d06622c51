package simil.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;
import simil.evaluation.EvalReport;
import simil.evaluation.LabelledCurve;
import simil.evaluation.Plots;
import simil.evaluation.ScoreAccumulator;
import simil.evaluation.ThresholdChoice;
import simil.models.PairModel;
import simil.models.files.DecisionThreshold;
import simil.scoring.AllPairsScorer;
import simil.scoring.GallerySearch;
import simil.tensor.Backend;
import simil.tensor.ScoreHistogram;
import simil.tensor.Sigmoid;
import simil.tensor.Tensor;

/**
 * {@code simil-spark pairs}: the pairs of a set of embeddings, cut into tiles of (row block × column block), one task each,
 * every task scoring its tile with the engine's all-pairs kernel (the split first layer, int8 where the executor's CPU has
 * it). Three outputs: the exact score histogram and confusion counts over all ordered pairs, as {@code simil eval --pairs
 * all} reports them (the threshold chosen on a validation set's pairs in the same way); the top k gallery images of each
 * query, as {@code simil search} finds them; or every ordered pair at or above a probability, as Parquet.
 */
@Command(name = "pairs", mixinStandardHelpOptions = true,
        description = {"Score the pairs of embeddings from simil-spark embed, one tile of (row block × column block) per task.",
                "--report DIR: AUC, AP, balanced accuracy and the confusion matrices over every ordered pair, exactly as simil eval --pairs all "
                        + "(threshold chosen on --validation's pairs); --top-k K: each query's K best gallery images, as simil search; "
                        + "--above P: every ordered pair scored P or more, as Parquet."})
final class PairsCommand implements Callable<Integer> {
    /** A test hook: the tile whose task fails its first attempt after counting its pairs (-1: none). */
    static final String FAIL_TILE_ONCE = "spark.simil.test.failTileOnce";

    static final StructType TOP_K = new StructType()
            .add("query_index", DataTypes.LongType, false)
            .add("query_id", DataTypes.StringType, false)
            .add("rank", DataTypes.IntegerType, false)
            .add("index", DataTypes.LongType, false)
            .add("id", DataTypes.StringType, false)
            .add("probability", DataTypes.FloatType, false);

    static final StructType ABOVE = new StructType()
            .add("a_index", DataTypes.LongType, false)
            .add("a_id", DataTypes.StringType, false)
            .add("b_index", DataTypes.LongType, false)
            .add("b_id", DataTypes.StringType, false)
            .add("probability", DataTypes.FloatType, false);

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from simil train), on any Hadoop filesystem.")
    String model;

    @Option(names = "--embeddings", required = true, paramLabel = "DIR",
            description = "Embeddings from simil-spark embed with this model: the set whose pairs are scored (the gallery for --top-k).")
    String embeddings;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    /** What the job writes. */
    static final class Output {
        @Option(names = "--report", paramLabel = "DIR", description = "Write report.json, threshold.json and the plots of simil eval here.")
        String report;

        @Option(names = "--top-k", paramLabel = "K", description = "Write each query's K best gallery images to --out.")
        Integer topK;

        @Option(names = "--above", paramLabel = "P", description = "Write every ordered pair scored P or more to --out.")
        Float above;
    }

    @Option(names = "--validation", paramLabel = "DIR",
            description = "With --report: embeddings of the validation split, whose pairs choose the threshold as simil eval does.")
    String validation;

    @Option(names = "--queries", paramLabel = "DIR",
            description = "With --top-k: embeddings of the queries (default: every image of --embeddings, each among the others).")
    String queries;

    @Option(names = "--out", paramLabel = "DIR", description = "With --top-k or --above: the Parquet folder to write (must not exist).")
    String out;

    @Option(names = "--split", defaultValue = "holdout", paramLabel = "NAME", description = "The split's name in the report (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--block", defaultValue = "4096", paramLabel = "N",
            description = "Images per block, a multiple of " + AllPairsScorer.BLOCK_ALIGNMENT + "; a task scores a block's pairs with another's (default: ${DEFAULT-VALUE}).")
    int block;

    @Option(names = "--precision", defaultValue = "int8", paramLabel = "P",
            description = "int8 (the fused kernel, fp32 on a CPU without one) or fp32; default: ${DEFAULT-VALUE}.")
    AllPairsScorer.Precision precision;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE", description = "Where each executor computes: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        SparkSession spark = SimilSpark.session("pairs");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        SimilSpark.requireAbsent(output.report != null ? output.report : out, conf);
        ShippedModel shipped = ShippedModel.read(model, device, conf);
        boolean symmetric;
        String precisionName;
        try (ShippedModel.Lease lease = shipped.lease()) {
            PairModel m = lease.model();
            symmetric = m.metric().symmetric();
            precisionName = new AllPairsScorer(m.metric(), m.backend(), precision).effectivePrecision().name().toLowerCase(Locale.ROOT);
        }
        Broadcast<ShippedModel> modelBroadcast = jsc.broadcast(shipped);
        int failTile = Integer.parseInt(spark.conf().get(FAIL_TILE_ONCE, "-1"));
        EmbeddingsTable.Metadata metadata = checkedMetadata(embeddings, shipped, conf);
        EmbeddingSet set = EmbeddingsTable.read(spark, embeddings, metadata);
        if (output.report != null) {
            EmbeddingsTable.Metadata validationMetadata = checkedMetadata(validation, shipped, conf);
            EmbeddingSet validationSet = EmbeddingsTable.read(spark, validation, validationMetadata);
            requireLabels(set, embeddings);
            requireLabels(validationSet, validation);
            TileCounts validationCounts = countAllPairs(jsc, modelBroadcast, validationSet, new TilePlan(validationSet.count(),
                    validationSet.count(), block, symmetric), new float[] {EvalReport.HALF}, precision, failTile);
            ScoreAccumulator validationScores = new ScoreAccumulator(EvalReport.HALF);
            validationScores.add(validationCounts.counts());
            float threshold = ThresholdChoice.maximizingBalancedAccuracy(validationScores);
            System.err.printf(Locale.ROOT, "threshold %.4f (maximizes balanced accuracy over all pairs of %s)%n", threshold, validation);
            long start = System.nanoTime();
            TileCounts counts = countAllPairs(jsc, modelBroadcast, set, new TilePlan(set.count(), set.count(), block, symmetric),
                    new float[] {EvalReport.HALF, threshold}, precision, failTile);
            double seconds = (System.nanoTime() - start) / 1e9;
            ScoreAccumulator scores = new ScoreAccumulator(EvalReport.HALF, threshold);
            scores.add(counts.counts());
            String name = new org.apache.hadoop.fs.Path(model).getName();
            EvalReport r = EvalReport.of(name, split, metadata.source(), "all", set.count(), scores, threshold,
                    EvalReport.ThresholdSource.VALIDATION, seconds, precisionName, "metric", null);
            writeReport(r, scores, threshold, "maximizes balanced accuracy over all pairs of " + validation, name, conf);
            System.out.printf(Locale.ROOT, "all pairs of %s (%d images, %d pairs), metric scores: AUC %.4f, AP %.4f, balanced accuracy %.4f, accuracy %.4f at threshold %.4f; %.0f pairs/s%n",
                    split, r.nImages(), r.nPairs(), r.auc(), r.ap(), r.balancedAccuracy(), r.accuracy(), r.threshold(), r.pairsPerSecond());
            System.out.println("report and plots in " + output.report);
        } else if (output.topK != null) {
            EmbeddingSet querySet = queries == null ? set : EmbeddingsTable.read(spark, queries, checkedMetadata(queries, shipped, conf));
            long start = System.nanoTime();
            topK(spark, jsc, modelBroadcast, jsc.broadcast(querySet), jsc.broadcast(set), queries == null, output.topK, failTile);
            System.err.printf(Locale.ROOT, "top %d of %d gallery images for %d queries written to %s in %.1f s%n", output.topK, set.count(),
                    querySet.count(), out, (System.nanoTime() - start) / 1e9);
        } else {
            long start = System.nanoTime();
            Broadcast<EmbeddingSet> bset = jsc.broadcast(set);
            TilePlan plan = new TilePlan(set.count(), set.count(), block, symmetric);
            float p = output.above;
            AllPairsScorer.Precision precision = this.precision;
            JavaRDD<Row> rows = jsc.parallelize(tileIds(plan), plan.tiles())
                    .flatMap(id -> pairsAbove(modelBroadcast.value(), bset.value(), plan, id, p, precision, failTile).iterator());
            spark.createDataFrame(rows, ABOVE).write().parquet(out);
            System.err.printf(Locale.ROOT, "the ordered pairs of %d images scored %s or more written to %s in %.1f s%n", set.count(), p, out,
                    (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    private void checkOptions() {
        if (output.report != null && validation == null) throw new IllegalArgumentException("--report needs --validation (the threshold is chosen on its pairs)");
        if (output.report == null && validation != null) throw new IllegalArgumentException("--validation goes with --report");
        if (output.topK == null && queries != null) throw new IllegalArgumentException("--queries goes with --top-k");
        if (output.report == null && out == null) throw new IllegalArgumentException("--top-k and --above write to --out DIR");
        if (output.report != null && out != null) throw new IllegalArgumentException("--report writes to its own DIR, not --out");
        if (output.topK != null && output.topK < 1) throw new IllegalArgumentException("--top-k " + output.topK + ": must be 1 or more");
        if (output.above != null && !(output.above >= 0f && output.above <= 1f)) {
            throw new IllegalArgumentException("--above " + output.above + ": must be a probability in [0, 1]");
        }
        new TilePlan(0, 0, block, false);
    }

    /** The metadata of embeddings {@code dir}, which must be this model's. */
    private static EmbeddingsTable.Metadata checkedMetadata(String dir, ShippedModel model, Configuration conf) {
        EmbeddingsTable.Metadata m = EmbeddingsTable.readMetadata(dir, conf);
        if (!model.sha256().equals(m.modelSha256())) {
            throw new IllegalArgumentException(dir + ": embedded by another model (" + m.model() + ", weights SHA-256 " + m.modelSha256()
                    + "), not " + model.location());
        }
        return m;
    }

    private static void requireLabels(EmbeddingSet set, String dir) {
        if (set.labels() == null) throw new IllegalArgumentException(dir + ": some images have no label; --report needs every image's class");
    }

    private static List<Integer> tileIds(TilePlan plan) {
        return IntStream.range(0, plan.tiles()).boxed().toList();
    }

    /**
     * Every ordered pair of {@code set} counted, one task per tile, the tiles' counts merged in a tree on the executors; the
     * total must hold every tile once and every pair.
     */
    static TileCounts countAllPairs(JavaSparkContext jsc, Broadcast<ShippedModel> model, EmbeddingSet set, TilePlan plan,
                                    float[] thresholds, AllPairsScorer.Precision precision, int failTile) {
        Broadcast<EmbeddingSet> bset = jsc.broadcast(set);
        TileCounts total = jsc.parallelize(tileIds(plan), plan.tiles())
                .map(id -> countTile(model.value(), bset.value(), plan, id, thresholds, precision, failTile))
                .treeReduce(TileCounts::merge);
        BitSet expected = new BitSet();
        expected.set(0, plan.tiles());
        long pairs = (long) set.count() * (set.count() - 1);
        if (!total.tiles().equals(expected) || total.pairs() != pairs) {
            throw new IllegalStateException("counted " + total.tiles().cardinality() + " of " + plan.tiles() + " tiles, " + total.pairs()
                    + " of " + pairs + " pairs");
        }
        bset.destroy();
        return total;
    }

    private static TileCounts countTile(ShippedModel shipped, EmbeddingSet set, TilePlan plan, int id, float[] thresholds,
                                        AllPairsScorer.Precision precision, int failTile) {
        TilePlan.Tile tile = plan.tile(id);
        int r0 = plan.rowStart(tile.rowBlock()), r1 = plan.rowEnd(tile.rowBlock());
        int c0 = plan.columnStart(tile.columnBlock()), c1 = plan.columnEnd(tile.columnBlock()), f = set.dimension();
        try (ShippedModel.Lease lease = shipped.lease()) {
            PairModel m = lease.model();
            Backend be = m.backend();
            AllPairsScorer scorer = new AllPairsScorer(m.metric(), be, precision);
            try (Tensor rows = be.fromArray(set.rows(r0, r1), r1 - r0, f); Tensor columns = be.fromArray(set.rows(c0, c1), c1 - c0, f);
                 Tensor labels = be.fromIntArray(set.labels(), set.count()); ScoreHistogram histogram = be.pairScoring().histogram(thresholds)) {
                long pairs = scorer.scoreBlock(rows, null, r0, columns, null, c0, labels, histogram);
                failFirstAttempt(id, failTile);
                return TileCounts.of(id, pairs, histogram.read());
            }
        }
    }

    /** The test hook: the task of tile {@code failTile} throws on its first attempt, its pairs counted but not yet returned. */
    private static void failFirstAttempt(int id, int failTile) {
        if (id == failTile && TaskContext.get().attemptNumber() == 0) {
            throw new IllegalStateException(FAIL_TILE_ONCE + ": the first attempt at tile " + id + " fails after counting its pairs");
        }
    }

    /** Each query's {@code k} best gallery images, merged across the gallery's blocks, written to {@link #out} as Parquet. */
    private void topK(SparkSession spark, JavaSparkContext jsc, Broadcast<ShippedModel> model, Broadcast<EmbeddingSet> queries,
                      Broadcast<EmbeddingSet> gallery, boolean self, int k, int failTile) {
        TilePlan plan = new TilePlan(queries.value().count(), gallery.value().count(), block, false);
        AllPairsScorer.Precision precision = this.precision;
        JavaRDD<Row> rows = jsc.parallelize(tileIds(plan), plan.tiles())
                .flatMapToPair(id -> searchTile(model.value(), queries.value(), gallery.value(), plan, id, self, k, precision, failTile).iterator())
                .reduceByKey(TopHits::merge, Math.max(1, plan.rowBlocks()))
                .sortByKey()
                .flatMap(query -> {
                    List<Row> ranked = new ArrayList<>();
                    TopHits hits = query._2();
                    for (int r = 0; r < hits.index().length; r++) {
                        int g = hits.index()[r];
                        ranked.add(RowFactory.create((long) query._1(), queries.value().ids()[query._1()], r + 1, (long) g,
                                gallery.value().ids()[g], Sigmoid.of(hits.logit()[r])));
                    }
                    return ranked.iterator();
                });
        spark.createDataFrame(rows, TOP_K).write().parquet(out);
    }

    /** The best hits of the tile's queries among its gallery block, found as simil search finds them. */
    private static List<Tuple2<Integer, TopHits>> searchTile(ShippedModel shipped, EmbeddingSet queries, EmbeddingSet gallery, TilePlan plan,
                                                             int id, boolean self, int k, AllPairsScorer.Precision precision, int failTile) {
        TilePlan.Tile tile = plan.tile(id);
        int q0 = plan.rowStart(tile.rowBlock()), q1 = plan.rowEnd(tile.rowBlock());
        int g0 = plan.columnStart(tile.columnBlock()), g1 = plan.columnEnd(tile.columnBlock()), f = gallery.dimension();
        List<Tuple2<Integer, TopHits>> best = new ArrayList<>();
        try (ShippedModel.Lease lease = shipped.lease()) {
            PairModel m = lease.model();
            Backend be = m.backend();
            try (Tensor block = be.fromArray(gallery.rows(g0, g1), g1 - g0, f); Tensor query = be.fromArray(queries.rows(q0, q1), q1 - q0, f)) {
                // A query among its own gallery asks for one more hit, in case it finds itself.
                List<List<GallerySearch.Hit>> hits = new GallerySearch(m.metric(), be, block, precision).search(query, self ? k + 1 : k);
                for (int r = 0; r < hits.size(); r++) best.add(new Tuple2<>(q0 + r, TopHits.of(hits.get(r), g0, self ? q0 + r : -1, k)));
            }
        }
        failFirstAttempt(id, failTile);
        return best;
    }

    /** The ordered pairs of the tile scored {@code probability} or more, as rows. */
    private static List<Row> pairsAbove(ShippedModel shipped, EmbeddingSet set, TilePlan plan, int id, float probability,
                                        AllPairsScorer.Precision precision, int failTile) {
        TilePlan.Tile tile = plan.tile(id);
        int r0 = plan.rowStart(tile.rowBlock()), r1 = plan.rowEnd(tile.rowBlock());
        int c0 = plan.columnStart(tile.columnBlock()), c1 = plan.columnEnd(tile.columnBlock()), f = set.dimension();
        List<Row> rows = new ArrayList<>();
        try (ShippedModel.Lease lease = shipped.lease()) {
            PairModel m = lease.model();
            Backend be = m.backend();
            try (Tensor a = be.fromArray(set.rows(r0, r1), r1 - r0, f); Tensor b = be.fromArray(set.rows(c0, c1), c1 - c0, f)) {
                new AllPairsScorer(m.metric(), be, precision).pairsAbove(a, r0, b, c0, set.count(), probability,
                        (i, j, p) -> rows.add(RowFactory.create((long) i, set.ids()[i], (long) j, set.ids()[j], p)));
            }
        }
        failFirstAttempt(id, failTile);
        return rows;
    }

    /** report.json, threshold.json and the plots of simil eval, written here and copied into {@code --report} DIR. */
    private void writeReport(EvalReport r, ScoreAccumulator scores, float threshold, String thresholdSource, String name, Configuration conf)
            throws IOException {
        Path local = LocalCopies.temporaryFolder("simil-spark-report-");
        r.write(local.resolve("report.json"));
        new DecisionThreshold(threshold, thresholdSource, "metric").write(local);
        String title = r.model() + ", " + split + ", all pairs";
        Plots.roc(local.resolve("roc.png"), "ROC — " + title, List.of(LabelledCurve.roc(name, scores, threshold)), r.negatives());
        Plots.precisionRecall(local.resolve("pr.png"), "Precision–recall — " + title,
                List.of(LabelledCurve.precisionRecall(name, scores, threshold)), (double) r.positives() / r.nPairs());
        Plots.scoreHistogram(local.resolve("scores.png"), "Scores by class — " + title, scores, threshold);
        Plots.confusionMatrix(local.resolve("confusion.png"), String.format(Locale.ROOT, "Confusion at threshold %.3f — %s", threshold, title), r.confusion());
        Plots.confusionMatrix(local.resolve("confusion-0.5.png"), "Confusion at threshold 0.5 — " + title, r.confusionAtHalf());
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(output.report);
        FileSystem fs = target.getFileSystem(conf);
        fs.mkdirs(target);
        try (var files = Files.list(local)) {
            for (Path file : files.toList()) {
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.fs.Path(target, file.getFileName().toString()));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
