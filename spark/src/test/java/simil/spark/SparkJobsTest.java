package simil.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import simil.backend.Backends;
import simil.cli.InProcess;
import simil.cli.SimilProcess;
import simil.cli.SyntheticTinyImageNet;
import simil.evaluation.EvalReport;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.scoring.EmbeddingsFile;

/**
 * The Spark jobs in local mode (2 task slots, a failed task tried up to 4 times) against the single-process commands, on
 * a MatchNet trained here for one epoch on a synthetic 10-class dataset: the all-pairs report equals {@code simil eval
 * --pairs all} bit for bit, the top k equal {@code simil search}'s, a task that fails after counting its tile leaves the
 * totals as they were, and the pairs above a threshold are those the report counts there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkJobsTest {
    /** Two blocks of the 300 holdout images (256 + 44): tiles with their own blocks and with each other. */
    private static final String BLOCK = "256";

    @TempDir
    static Path dir;

    private SparkSession spark;
    private Path zip, run, evalReport, holdoutFile;
    private String holdout, validation;

    /** Exit code, stdout and stderr of one command. */
    private record Outcome(int code, String out, String err) {}

    @BeforeAll
    void trainEvaluateAndEmbed() throws Exception {
        zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 10, 40);
        run = dir.resolve("run");
        SimilProcess simil = new SimilProcess(dir);
        // 10 classes × (5 training, 5 validation, 30 holdout) images.
        childOk(simil.run("train", "train", "matchnet", "--recipe", "quick", "--budget-minutes", "0", "--epochs", "1", "--metric-epochs", "1",
                "--data", zip.toString(), "--holdout", "30", "--val-per-class", "5", "--batch", "8", "--out", run.toString()));
        Process eval = simil.start("eval", "eval", "--model", run.toString(), "--data", zip.toString(), "--pairs", "all");
        holdoutFile = dir.resolve("holdout.safetensors");
        Path validationFile = dir.resolve("validation.safetensors");
        childOk(simil.run("embed-holdout", "embed", "--model", run.toString(), "--data", zip.toString(), "--split", "holdout", "--out", holdoutFile.toString()));
        childOk(simil.run("embed-validation", "embed", "--model", run.toString(), "--data", zip.toString(), "--split", "validation",
                "--out", validationFile.toString()));
        assertEquals(0, eval.waitFor(), Files.readString(dir.resolve("eval.err")));
        evalReport = run.resolve("eval-holdout-all").resolve("report.json");

        spark = SparkSession.builder().master("local[2,4]").appName("simil-spark tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .getOrCreate();
        holdout = dir.resolve("holdout.parquet").toString();
        validation = dir.resolve("validation.parquet").toString();
        ok(spark("embed", "--model", run.toString(), "--images", splitList(holdoutFile, "holdout.tsv").toString(), "--out", holdout));
        ok(spark("embed", "--model", run.toString(), "--images", splitList(validationFile, "validation.tsv").toString(), "--out", validation));
    }

    @AfterAll
    void stop() {
        if (spark != null) spark.stop();
    }

    /** A list for simil-spark embed of a split's images, as simil embed --split names them ({@code ZIP!/entry}), with their classes. */
    private Path splitList(Path embeddings, String name) throws IOException {
        EmbeddingsFile.Contents c = EmbeddingsFile.read(embeddings);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < c.count(); i++) list.append(c.ids().get(i)).append('\t').append(c.classes().get(c.labels()[i])).append('\n');
        return Files.writeString(dir.resolve(name), list.toString());
    }

    @Test
    void theAllPairsReportIsSimilEvalsBitForBit() throws IOException {
        Path report = dir.resolve("report");
        Outcome r = ok(spark("pairs", "--model", run.toString(), "--embeddings", holdout, "--validation", validation, "--report", report.toString(),
                "--block", BLOCK));
        assertTrue(r.out().startsWith("all pairs of holdout (300 images, 89700 pairs), metric scores: AUC "), r.out());
        EvalReport single = EvalReport.read(evalReport), spread = EvalReport.read(report.resolve("report.json"));
        assertEquals(Exact.of(single), Exact.of(spread));
        assertTrue(single.auc() > 0.5 && single.positives() == 10 * 30 * 29, "a model that ranks: " + single.auc());
        for (String file : List.of("threshold.json", "roc.png", "pr.png", "scores.png", "confusion.png", "confusion-0.5.png")) {
            assertTrue(Files.size(report.resolve(file)) > 0, file);
        }
    }

    /** What a report must give exactly as simil eval does: every count and every metric computed from them. */
    private record Exact(int images, long pairs, long positives, long negatives, float threshold, Object confusion, Object confusionAtHalf,
                         double accuracy, double balancedAccuracy, double precision, double recall, double f1, double auc, double ap,
                         double aucErrorBound, double apErrorBound, double tpr1e3, double tpr1e2, double eer, float eerThreshold, String scoring) {
        static Exact of(EvalReport r) {
            return new Exact(r.nImages(), r.nPairs(), r.positives(), r.negatives(), r.threshold(), r.confusion(), r.confusionAtHalf(), r.accuracy(),
                    r.balancedAccuracy(), r.precision(), r.recall(), r.f1(), r.auc(), r.ap(), r.aucErrorBound(), r.apErrorBound(), r.tprAtFpr1e3(),
                    r.tprAtFpr1e2(), r.eer(), r.eerThreshold(), r.scoring());
        }
    }

    @Test
    void aTaskThatFailsAfterCountingItsTileIsRetriedAndCountedOnce() throws IOException {
        AtomicInteger failed = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) failed.incrementAndGet();
            }
        };
        spark.sparkContext().addSparkListener(listener);
        spark.conf().set(PairsCommand.FAIL_TILE_ONCE, "1");
        Path report = dir.resolve("report-retried");
        try {
            ok(spark("pairs", "--model", run.toString(), "--embeddings", holdout, "--validation", validation, "--report", report.toString(),
                    "--block", BLOCK));
        } finally {
            spark.conf().unset(PairsCommand.FAIL_TILE_ONCE);
            spark.sparkContext().removeSparkListener(listener);
        }
        assertEquals(1, failed.get(), "the first attempt at tile 1 failed, once");
        assertEquals(Exact.of(EvalReport.read(evalReport)), Exact.of(EvalReport.read(report.resolve("report.json"))));
    }

    @Test
    void theTopKAreSimilSearchsHits() throws IOException {
        Path queries = dir.resolve("queries");
        Files.createDirectories(queries);
        List<String> queryFiles = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Path file = queries.resolve("q" + c + ".png");
            assertTrue(ImageIO.write(SyntheticTinyImageNet.image(3 * c, 500 + c, 64, 64), "png", file.toFile()));
            queryFiles.add(file.toString());
        }
        // simil embed and simil search embed 64 images per batch: so do these, for the same embeddings.
        String gallery = dir.resolve("gallery64.parquet").toString(), queryTable = dir.resolve("queries.parquet").toString();
        ok(spark("embed", "--model", run.toString(), "--images", dir.resolve("holdout.tsv").toString(), "--out", gallery, "--batch", "64"));
        ok(spark("embed", "--model", run.toString(), "--images", queries.toString(), "--out", queryTable, "--batch", "64"));
        String top = dir.resolve("top.parquet").toString();
        ok(spark("pairs", "--model", run.toString(), "--embeddings", gallery, "--queries", queryTable, "--top-k", "5", "--out", top, "--block", BLOCK));

        List<String> search = new ArrayList<>(List.of("search", "--model", run.toString(), "--gallery", holdoutFile.toString(), "--k", "5", "--json", "--query"));
        search.addAll(queryFiles);
        InProcess.Outcome searched = InProcess.simil(search.toArray(String[]::new));
        assertEquals(0, searched.code(), searched.err());
        List<String> expected = new ArrayList<>();
        JsonArray found = JsonParser.parseString(searched.out()).getAsJsonObject().getAsJsonArray("queries");
        for (var query : found) {
            JsonObject q = query.getAsJsonObject();
            for (var hit : q.getAsJsonArray("hits")) {
                JsonObject h = hit.getAsJsonObject();
                expected.add(q.get("query").getAsString() + " " + h.get("rank").getAsInt() + " " + h.get("id").getAsString() + " "
                        + h.get("probability").getAsFloat());
            }
        }
        List<String> actual = spark.read().parquet(top).orderBy("query_index", "rank").collectAsList().stream()
                .map(row -> row.getString(1) + " " + row.getInt(2) + " " + row.getString(4) + " " + row.getFloat(5)).toList();
        assertEquals(15, expected.size(), searched.out());
        assertEquals(expected, actual);
    }

    @Test
    void thePairsAboveTheThresholdAreThoseTheReportCountsThere() throws IOException {
        EvalReport single = EvalReport.read(evalReport);
        String above = dir.resolve("above.parquet").toString();
        ok(spark("pairs", "--model", run.toString(), "--embeddings", holdout, "--above", Float.toString(single.threshold()), "--out", above,
                "--block", BLOCK));
        List<Row> labels = spark.read().parquet(holdout).orderBy("index").select("label").collectAsList();
        long pairs = 0, same = 0;
        for (Row row : spark.read().parquet(above).select("a_index", "b_index", "probability").collectAsList()) {
            assertTrue(row.getLong(0) != row.getLong(1) && row.getFloat(2) >= single.threshold(), row.toString());
            pairs++;
            if (labels.get((int) row.getLong(0)).getString(0).equals(labels.get((int) row.getLong(1)).getString(0))) same++;
        }
        assertEquals(single.confusion().tp() + single.confusion().fp(), pairs);
        assertEquals(single.confusion().tp(), same);
    }

    @Test
    void embedWritesEveryImageWithItsIdAndLabel() throws IOException {
        EmbeddingsFile.Contents c = EmbeddingsFile.read(holdoutFile);
        List<Row> rows = spark.read().parquet(holdout).orderBy("index").collectAsList();
        assertEquals(c.count(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getLong(0));
            assertEquals(c.ids().get(i), rows.get(i).getString(1));
            assertEquals(c.classes().get(c.labels()[i]), rows.get(i).getString(2));
            assertEquals(c.dimension(), rows.get(i).getList(3).size());
        }
        // A whole zip, labels from train/<wnid>/images/: every image, each labelled by its class's folder, in name order.
        Path small = SyntheticTinyImageNet.zip(dir.resolve("small.zip"), 2, 3);
        String whole = dir.resolve("small.parquet").toString();
        ok(spark("embed", "--model", run.toString(), "--images", small.toString(), "--label-depth", "2", "--out", whole));
        List<Row> all = spark.read().parquet(whole).orderBy("index").select("id", "label").collectAsList();
        assertEquals(6, all.size());
        assertEquals(small + "!/tiny-imagenet-200/train/" + SyntheticTinyImageNet.wnid(0) + "/images/" + SyntheticTinyImageNet.wnid(0) + "_0.JPEG",
                all.get(0).getString(0));
        for (Row row : all) assertTrue(row.getString(0).contains("/train/" + row.getString(1) + "/images/"), row.toString());
    }

    @Test
    void badInputsAreOneLineErrors() throws IOException {
        Path other = dir.resolve("other");
        ModelFiles.save(new MatchNet(Backends.open("cpu"), new MatchNetConfig(8, 64, 0.3f, true, 5)), other);
        Outcome refused = spark("pairs", "--model", other.toString(), "--embeddings", holdout, "--above", "0.5", "--out", dir.resolve("x").toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("simil-spark: error: " + holdout + ": embedded by another model ("), refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());

        Outcome noValidation = spark("pairs", "--model", run.toString(), "--embeddings", holdout, "--report", dir.resolve("r").toString());
        assertEquals(new Outcome(1, "", "simil-spark: error: --report needs --validation (the threshold is chosen on its pairs)\n"), noValidation);
        Outcome existing = spark("embed", "--model", run.toString(), "--images", zip.toString(), "--out", holdout);
        assertEquals(new Outcome(1, "", "simil-spark: error: " + holdout + ": exists already; give a new folder\n"), existing);
        Outcome misaligned = spark("pairs", "--model", run.toString(), "--embeddings", holdout, "--above", "0.5", "--out", dir.resolve("y").toString(),
                "--block", "1000");
        assertEquals(new Outcome(1, "", "simil-spark: error: --block 1000: must be a multiple of 256\n"), misaligned);
        Outcome usage = spark("pairs", "--model", run.toString(), "--embeddings", holdout, "--top-k", "2", "--out", "z", "--blocks=4");
        assertEquals(new Outcome(2, "", "simil-spark: error: Unknown option: '--blocks=4'; try 'simil-spark pairs --help'\n"), usage);
    }

    private static SimilProcess.Result childOk(SimilProcess.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }

    private static Outcome ok(Outcome r) {
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /** simil-spark ARGS in this JVM's Spark session, with what it prints. */
    private static Outcome spark(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = SimilSpark.run(args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
