package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.evaluation.EpochMetrics;
import simil.evaluation.MetricsCsv;
import simil.models.files.DecisionThreshold;
import simil.optim.WarmupCosine;

/**
 * What a run logs, as a user redirecting simil to a file sees it: plain progress lines with elapsed time and ETA (no
 * '\r'), steps.jsonl with every step's loss and scheduled learning rate, metrics CSVs whose lr is the scheduled rate
 * and which name their phase; and what eval draws from them: training.png over every phase.
 */
class TrainingLogsTest {
    private static final float LR = 2e-3f;

    @TempDir
    Path dir;

    @Test
    void aRedirectedRunLogsEveryStepAndPlainLines() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 8);
        Path run = dir.resolve("run");
        SimilProcess simil = new SimilProcess(dir);
        // 2 classes x 8 images, 2 + 2 kept out: 8 training images, 4 classifier steps of 2 per epoch.
        SimilProcess.Result train = simil.run("train", "train", "matchnet", "--data", zip.toString(), "--holdout", "2",
                "--val-per-class", "2", "--batch", "2", "--epochs", "2", "--metric-epochs", "1", "--budget-minutes", "0",
                "--set", "warmupSteps=2", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertFalse(train.err().contains("\r"), "a log file holds whole lines only: " + train.err());
        assertTrue(train.err().lines().anyMatch(l -> l.startsWith("classifier 2/2 [") && l.contains("4/4") && l.contains(" elapsed, ETA 0:00")),
                train.err());

        List<JsonObject> steps = Files.readAllLines(run.resolve("steps.jsonl")).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        List<JsonObject> classifier = steps.stream().filter(s -> s.get("phase").getAsString().equals("classifier")).toList();
        assertEquals(8, classifier.size(), "every step of both epochs, once");
        WarmupCosine schedule = new WarmupCosine(LR, 2, 8, LR * 0.01f);
        for (int g = 0; g < 8; g++) {
            JsonObject s = classifier.get(g);
            assertEquals(g, s.get("global_step").getAsLong());
            assertEquals(g / 4 + 1, s.get("epoch").getAsInt());
            assertEquals(g % 4, s.get("step").getAsInt());
            assertEquals(schedule.at(g + 1), s.get("lr").getAsFloat(), "the scheduled rate of step " + g + ", not the peak");
            assertTrue(Float.isFinite(s.get("loss").getAsFloat()) && s.get("images_per_second").getAsDouble() > 0, s.toString());
            if (g > 0) assertTrue(s.get("elapsed_seconds").getAsDouble() >= classifier.get(g - 1).get("elapsed_seconds").getAsDouble());
        }
        assertTrue(steps.stream().anyMatch(s -> s.get("phase").getAsString().equals("metric")), "the metric phase logs its steps too");

        List<EpochMetrics> rows = MetricsCsv.read(run.resolve("metrics.csv"));
        assertEquals(List.of(schedule.at(4), schedule.at(8)), rows.stream().map(r -> (float) r.lr()).toList(),
                "each epoch's lr is its last step's scheduled rate");
        assertEquals(Float.toString(schedule.at(4)), Files.readAllLines(run.resolve("metrics.csv")).get(1).split(",")[1],
                "the float's shortest decimal, not its double expansion");
        assertEquals("classifier", rows.get(0).phase());
        assertEquals("metric", MetricsCsv.read(run.resolve("metrics-metric.csv")).get(0).phase());

        SimilProcess.Result eval = simil.run("eval", "eval", "--model", run.toString(), "--data", zip.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(List.of(new LabelledPhase("classifier", 2), new LabelledPhase("metric", 1)),
                EvalCommand.trainingPhases(run).stream().map(p -> new LabelledPhase(p.label(), p.rows().size())).toList(),
                "training.png draws every phase, in the order they ran");
        Path evalDir = run.resolve("eval-holdout-balanced");
        for (String png : List.of("training.png", "roc.png", "pr.png", "scores.png")) assertTrue(Files.size(evalDir.resolve(png)) > 1000, png);
        assertTrue(Files.exists(evalDir.resolve(DecisionThreshold.FILE)) && !Files.exists(run.resolve(DecisionThreshold.FILE)),
                "the chosen threshold lives with its evaluation, not in the model directory");
        JsonObject report = JsonParser.parseString(Files.readString(evalDir.resolve("report.json"))).getAsJsonObject();
        assertEquals("2 per class carved from train/", report.get("split_source").getAsString());
        for (String key : List.of("tpr_at_fpr_1e-3", "tpr_at_fpr_1e-2", "eer", "eer_threshold", "auc_ci95", "balanced_accuracy_ci95", "ci_method")) {
            assertTrue(report.has(key), key + " in " + report);
        }
        double low = report.getAsJsonArray("auc_ci95").get(0).getAsDouble(), high = report.getAsJsonArray("auc_ci95").get(1).getAsDouble();
        assertTrue(low <= report.get("auc").getAsDouble() && report.get("auc").getAsDouble() <= high, report.toString());
    }

    private record LabelledPhase(String label, int epochs) {}
}
