package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.data.DataFingerprint;
import simil.evaluation.EvalReport;
import simil.models.files.DecisionThreshold;
import simil.models.files.ModelFiles;
import simil.scoring.Evaluation;
import simil.testing.Folders;

/**
 * {@code --holdout-classes} and {@code --scorer} end to end: a run trained with classes held out records them and keeps
 * its classifier head; {@code eval --split unseen} reports AUC, AP and balanced accuracy over every ordered pair of the
 * unseen classes' holdout images, saying that posterior scoring does not apply there, and refuses to score them by
 * posteriors; {@code --scorer posterior} and {@code both} score the seen classes' holdout; another number of held-out
 * classes is refused on resume and noted by eval; a model without a head is refused posterior scoring in one line.
 */
class UnseenClassesCommandTest {
    private static final List<String> SCORERS = List.of("posterior", "both");

    @TempDir
    Path dir;

    @Test
    void unseenClassesAreEvaluatedByTheMetricNetworkAndTheSeenOnesByEveryScorer() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 5, 7);
        Path run = dir.resolve("run");
        SimilProcess simil = new SimilProcess(dir);
        SimilProcess.Result trained = simil.run("train", train(zip, run, "2"));
        assertEquals(0, trained.exitCode(), trained.err());
        assertEquals(2, DataFingerprint.read(run).holdoutClasses());
        assertTrue(Files.exists(run.resolve(ModelFiles.HEAD)));

        // The refusals first, together, then the evaluations, together: children of their own, in parallel.
        var before = Folders.everyByte(run);
        Process refusedEval = simil.start("refused", "eval", "--model", run.toString(), "--data", zip.toString(),
                "--split", "unseen", "--scorer", "posterior");
        Process refusedResume = simil.start("resume", train(zip, run, "3", "--resume"));
        assertEquals(1, refusedEval.waitFor());
        assertEquals(List.of("simil: error: --scorer posterior does not apply to --split unseen: the classifier has no output for classes "
                + "held out of training; use --scorer metric"), errors("refused"));
        assertEquals(1, refusedResume.waitFor());
        assertEquals(List.of("simil: error: --resume with different data than the run's (" + run.resolve("data.json")
                + "): --holdout-classes 3 (the run has 2)"), errors("resume"));
        assertEquals(before, Folders.everyByte(run), "refusals change nothing");

        Process unseen = simil.start("unseen", "eval", "--model", run.toString(), "--data", zip.toString(), "--split", "unseen", "--pairs", "all");
        Process noted = simil.start("noted", "eval", "--model", run.toString(), "--data", zip.toString(), "--holdout-classes", "3",
                "--out", dir.resolve("noted").toString());
        List<Process> seen = new ArrayList<>();
        for (String scorer : SCORERS) {
            seen.add(simil.start("seen-" + scorer, "eval", "--model", run.toString(), "--data", zip.toString(), "--pairs", "all", "--scorer", scorer));
        }
        assertEquals(0, unseen.waitFor(), Files.readString(dir.resolve("unseen.err")));
        EvalReport report = EvalReport.read(run.resolve("eval-unseen-all").resolve("report.json"));
        assertEquals("unseen", report.split());
        assertEquals(4, report.nImages(), "the 2 holdout images of each of the 2 unseen classes");
        assertEquals(12, report.nPairs());
        assertEquals(4, report.positives());
        String json = Files.readString(run.resolve("eval-unseen-all").resolve("report.json"));
        assertTrue(report.auc() >= 0 && report.auc() <= 1 && report.ap() > 0 && report.balancedAccuracy() >= 0, json);
        assertEquals("metric", report.scorer());
        assertEquals(Evaluation.POSTERIOR_NOT_APPLICABLE, report.scorerNote());
        String out = Files.readString(dir.resolve("unseen.out"));
        assertTrue(out.contains("note: " + Evaluation.POSTERIOR_NOT_APPLICABLE), out);
        for (String key : List.of("\"auc\"", "\"ap\"", "\"balanced_accuracy\"", "\"scorer\": \"metric\"", "\"scorer_note\"")) {
            assertTrue(json.contains(key), key + " in " + json);
        }

        for (int k = 0; k < SCORERS.size(); k++) {
            String scorer = SCORERS.get(k);
            assertEquals(0, seen.get(k).waitFor(), Files.readString(dir.resolve("seen-" + scorer + ".err")));
            EvalReport r = EvalReport.read(run.resolve("eval-holdout-all-" + scorer).resolve("report.json"));
            assertEquals(scorer, r.scorer());
            assertEquals(null, r.scorerNote());
            assertEquals(6 * 5, r.nPairs(), "every ordered pair of the 3 trained classes' 6 holdout images");
            DecisionThreshold chosen = DecisionThreshold.read(run, scorer);
            assertEquals(run.resolve("eval-holdout-all-" + scorer).resolve(DecisionThreshold.FILE), chosen.file(), "the evaluation by this scorer's");
            assertEquals(scorer, chosen.scorer());
        }

        // compare --pairs and search score by each scorer too, deciding at that scorer's threshold.
        List<String> images = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Path image = dir.resolve("image" + c + ".png");
            javax.imageio.ImageIO.write(SyntheticTinyImageNet.image(c, 99, 64, 64), "png", image.toFile());
            images.add(image.toString());
        }
        Path csv = Files.writeString(dir.resolve("pairs.csv"), "a,b\n" + images.get(0) + "," + images.get(1) + "\n" + images.get(0) + "," + images.get(2) + "\n");
        for (String scorer : SCORERS) {
            InProcess.Outcome compared = InProcess.simil("compare", "--model", run.toString(), "--pairs", csv.toString(), "--scorer", scorer);
            assertEquals(0, compared.code(), compared.err());
            assertEquals(3, compared.out().lines().count(), compared.out());
            DecisionThreshold threshold = DecisionThreshold.read(run, scorer);
            assertTrue(compared.err().contains(String.format(java.util.Locale.ROOT, "verdicts at threshold %.4f (%s)", threshold.value(),
                    threshold.describe())), compared.err());
            InProcess.Outcome searched = InProcess.simil("search", "--model", run.toString(), "--gallery", dir.resolve("image1.png").toString(),
                    "--query", images.get(0), "--json", "--scorer", scorer);
            assertEquals(0, searched.code(), searched.err());
            assertTrue(searched.out().contains("\"scorer\": \"" + scorer + "\""), searched.out());
        }

        InProcess.Outcome otherScorers = InProcess.simil("compare", "--model", run.toString(), "--pairs", csv.toString(), "--scorer", "metric",
                "--threshold", run.resolve("eval-holdout-all-posterior").toString());
        assertEquals(1, otherScorers.code());
        assertEquals("simil: error: --threshold " + run.resolve("eval-holdout-all-posterior").resolve(DecisionThreshold.FILE)
                + ": chosen for --scorer posterior scores, not metric\n", otherScorers.err());

        assertEquals(0, noted.waitFor(), Files.readString(dir.resolve("noted.err")));
        assertEquals(List.of("simil: note: evaluating on the model's own splits (--holdout 2 --holdout-classes 2 --val-per-class 2 --split-seed 1),"
                + " not --holdout-classes 3"), Files.readString(dir.resolve("noted.err")).lines().filter(l -> l.startsWith("simil: note:")).toList());
    }

    @Test
    void aModelWithoutAHeadIsRefusedPosteriorScoresInOneLine() throws Exception {
        Path model = dir.resolve("model");
        ModelFiles.save(new simil.models.matchnet.MatchNet(simil.backend.Backends.open("cpu"),
                new simil.models.matchnet.MatchNetConfig(8, 16, 0.3f, false, 5)), model);
        Path image = dir.resolve("a.png");
        javax.imageio.ImageIO.write(SyntheticTinyImageNet.image(0, 0, 64, 64), "png", image.toFile());
        String expected = "simil: error: " + model + " has no classifier head (" + ModelFiles.HEAD + "), which --scorer both scores pairs by"
                + " (a run saves one when its recipe trains the tower as a classifier, as default and quick do; older runs have none)";
        InProcess.Outcome compare = InProcess.simil("compare", "--model", model.toString(), "--scorer", "both", image.toString(), image.toString());
        assertEquals(1, compare.code(), compare.err());
        assertEquals(expected + "\n", compare.err());
        // eval loads the model and its head before any data: refused before reading an image.
        InProcess.Outcome eval = InProcess.simil("eval", "--model", model.toString(), "--data", dir.resolve("absent.zip").toString(),
                "--scorer", "both");
        assertEquals(1, eval.code(), eval.err());
        assertEquals(expected + "\n", eval.err());
        assertFalse(Files.exists(model.resolve("eval-holdout-balanced-both")));
    }

    private List<String> errors(String name) throws java.io.IOException {
        return Files.readString(dir.resolve(name + ".err")).lines().filter(l -> l.startsWith("simil: error:")).toList();
    }

    private static String[] train(Path zip, Path run, String heldOut, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "matchnet", "--recipe", "quick", "--budget-minutes", "0", "--epochs", "1",
                "--metric-epochs", "1", "--data", zip.toString(), "--holdout", "2", "--val-per-class", "2", "--holdout-classes", heldOut,
                "--batch", "2", "--out", run.toString()));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }
}
