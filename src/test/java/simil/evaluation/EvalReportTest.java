package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {
    private static final Pairs TINY = Pairs.of(new double[] {0.1, 0.4, 0.35, 0.8, 0.5}, new int[] {0, 0, 1, 1, 0});

    @Test
    void jsonHasEveryContractKey(@TempDir Path dir) throws IOException {
        EvalReport report = EvalReport.of("runs/matchnet", "holdout", "official val/", "all", 5, TINY.accumulate(0.5f, 0.35f),
                0.35f, EvalReport.ThresholdSource.VALIDATION, 2.0, "int8");
        Path file = dir.resolve("report.json");
        report.write(file);

        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        for (String key : List.of("model", "split", "pairs", "n_images", "n_pairs", "threshold", "confusion",
                "accuracy", "balanced_accuracy", "precision", "recall", "f1", "auc", "ap", "seconds",
                "pairs_per_second", "confusion_at_0_5", "threshold_source", "positives", "negatives", "auc_method", "scoring", "scorer")) {
            assertTrue(json.has(key), "missing " + key + " in " + json);
        }
        JsonObject confusion = json.getAsJsonObject("confusion");
        assertEquals(2, confusion.get("tp").getAsLong());
        assertEquals(2, confusion.get("fp").getAsLong());
        assertEquals(1, confusion.get("tn").getAsLong());
        assertEquals(0, confusion.get("fn").getAsLong());
        assertEquals(1, json.getAsJsonObject("confusion_at_0_5").get("tp").getAsLong());
        assertEquals("validation", json.get("threshold_source").getAsString());
        assertEquals("all", json.get("pairs").getAsString());
        assertEquals("metric", json.get("scorer").getAsString(), "reports made without naming a scorer are the metric network's");
        assertTrue(!json.has("scorer_note"), "a note only where one is due");
        assertEquals(5, json.get("n_pairs").getAsLong());
        assertEquals(2.5, json.get("pairs_per_second").getAsDouble(), 1e-12);
        assertEquals(1.0, json.get("recall").getAsDouble(), 1e-12);
        // 0.35 outscores 0.1; 0.8 outscores all three "different": 4 of 6.
        assertEquals(4 / 6.0, json.get("auc").getAsDouble(), 1e-12);
        assertEquals(report, EvalReport.read(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "temporary file left behind");
        }
    }

    @Test
    void aReportNamesItsScorerAndCarriesItsNote() {
        EvalReport report = EvalReport.of("m", "unseen", "5 per class carved from train/", "all", 5, TINY.accumulate(0.5f, 0.35f), 0.35f,
                EvalReport.ThresholdSource.VALIDATION, 1.0, "fp32", "metric", "posterior scoring does not apply");
        JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
        assertEquals("metric", json.get("scorer").getAsString());
        assertEquals("posterior scoring does not apply", json.get("scorer_note").getAsString());
    }

    @Test
    void fixedThresholdMustBeHalf() {
        ScoreAccumulator scores = TINY.accumulate(0.5f, 0.35f);
        assertThrows(IllegalArgumentException.class, () -> EvalReport.of("m", "val", "official val/", "balanced", 5, scores, 0.35f,
                EvalReport.ThresholdSource.FIXED_HALF, 1.0, "fp32"));
        EvalReport report = EvalReport.of("m", "val", "official val/", "balanced", 5, scores, 0.5f,
                EvalReport.ThresholdSource.FIXED_HALF, 1.0, "fp32");
        assertEquals(report.confusion(), report.confusionAtHalf());
        assertTrue(report.toJson().contains("\"threshold_source\": \"0.5\""), report.toJson());
    }
}
