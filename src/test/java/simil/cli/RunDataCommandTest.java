package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simil.data.DataFingerprint;
import simil.data.Splits;
import simil.evaluation.EvalReport;
import simil.testing.Folders;

/**
 * A run refuses to mix data: a second {@code train} into it, or a {@code --resume} with another archive, subset or
 * split, is one error line naming what differs and changes no byte of the run; {@code eval} uses the run's own
 * splits and says so in one line when given another archive or other split options.
 */
class RunDataCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRunRefusesOtherDataAndTheRefusalChangesNothing() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 2, 7);
        Path other = SyntheticTinyImageNet.zip(dir.resolve("other.zip"), 2, 8);
        Path run = dir.resolve("run");
        SimilProcess simil = new SimilProcess(dir);
        SimilProcess.Result trained = simil.run("train", train(zip, run));
        assertEquals(0, trained.exitCode(), trained.err());
        DataFingerprint recorded = DataFingerprint.read(run);
        assertEquals(zip.toAbsolutePath().normalize().toString(), recorded.archive());
        assertEquals(Files.size(zip), recorded.archiveBytes());
        Map<String, String> before = Folders.everyByte(run);

        Map<String, String[]> refused = new LinkedHashMap<>();
        // The probe's case: a second train with more images per class, without --resume.
        refused.put(run + " already holds a training run: pass --resume, or choose another --out", train(zip, run, "--per-class", "6"));
        refused.put("--resume with different data than the run's (" + run.resolve("data.json") + "): --per-class 6 (the run has none), "
                + "--holdout 3 (the run has 2)", trainWithHoldout(zip, run, "3", "--resume", "--per-class", "6"));
        refused.put("--resume with different data than the run's (" + run.resolve("data.json") + "): --data "
                + other.toAbsolutePath().normalize() + " (the run has " + recorded.archive() + ", another archive)",
                train(other, run, "--resume"));
        refused.put("--resume with a different recipe than the run's (" + run.resolve("recipe.json") + "): labelSmoothing 0.1 (the run has 0.0)",
                train(zip, run, "--resume", "--set", "labelSmoothing=0.1"));
        List<Process> children = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String[]> c : refused.entrySet()) {
            names.add("refused-" + names.size());
            children.add(simil.start(names.get(names.size() - 1), c.getValue()));
        }
        int i = 0;
        for (String expected : refused.keySet()) {
            int code = children.get(i).waitFor();
            String err = Files.readString(dir.resolve(names.get(i) + ".err"));
            List<String> errors = err.lines().filter(l -> l.startsWith("simil: error:")).toList();
            assertEquals(1, code, err);
            assertEquals(List.of("simil: error: " + expected), errors, err);
            i++;
        }
        assertEquals(before, Folders.everyByte(run), "a refused command changes nothing in the run");

        // eval on another archive with another --holdout: the run's own splits (2 images per class), and one line saying so.
        SimilProcess.Result eval = simil.run("eval", "eval", "--model", run.toString(), "--data", other.toString(), "--holdout", "1");
        assertEquals(0, eval.exitCode(), eval.err());
        List<String> notes = eval.err().lines().filter(l -> l.startsWith("simil: note:")).toList();
        assertEquals(List.of("simil: note: evaluating on the model's own splits (--holdout 2 --val-per-class 2 --split-seed 1), not --holdout 1,"
                + " carved from " + other + ", which is not the archive the model was trained on (" + recorded.archive() + ")"), notes, eval.err());
        assertEquals(4, EvalReport.read(run.resolve("eval-holdout-balanced").resolve("report.json")).nImages());

        SimilProcess.Result same = simil.run("eval-same", "eval", "--model", run.toString(), "--data", zip.toString());
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(same.err().lines().noneMatch(l -> l.startsWith("simil: note:")), same.err());

        // The same path with other content: said as such, not as "another archive" named twice.
        Files.copy(other, zip, StandardCopyOption.REPLACE_EXISTING);
        SimilProcess.Result changed = simil.run("eval-changed", "eval", "--model", run.toString(), "--data", zip.toString());
        assertEquals(0, changed.exitCode(), changed.err());
        assertEquals(List.of("simil: note: evaluating on the model's own splits (--holdout 2 --val-per-class 2 --split-seed 1), carved from "
                + zip + ", whose content changed since the model was trained on it"),
                changed.err().lines().filter(l -> l.startsWith("simil: note:")).toList(), changed.err());
    }

    /**
     * A run that left the holdout to its archive (no --holdout) is evaluated on the holdout it had, whatever the
     * evaluation's archive holds: carved from train/ when its archive had no val/, even from an official zip with one;
     * the official val/ when it had, and an archive without val/ is then refused (its carved holdout would hold
     * training images), writing nothing.
     */
    @Test
    void aHoldoutLeftToTheArchiveIsEvaluatedAsItWasResolved() throws Exception {
        int perClass = Splits.DEFAULT_HOLDOUT_PER_CLASS + 6;
        Path trainOnly = SyntheticTinyImageNet.zip(dir.resolve("train-only.zip"), 2, perClass);
        Path official = SyntheticTinyImageNet.zip(dir.resolve("official.zip"), 2, perClass, 3);
        SimilProcess simil = new SimilProcess(dir);
        Path carved = dir.resolve("carved"), onVal = dir.resolve("on-val");
        for (Path[] run : new Path[][] {{trainOnly, carved}, {official, onVal}}) {
            SimilProcess.Result r = simil.run("train-" + run[1].getFileName(), "train", "matchnet", "--recipe", "seed", "--data", run[0].toString(),
                    "--val-per-class", "2", "--batch", "2", "--epochs", "1", "--pairs-per-image", "0.25", "--out", run[1].toString());
            assertEquals(0, r.exitCode(), r.err());
        }

        SimilProcess.Result eval = simil.run("eval-carved", "eval", "--model", carved.toString(), "--data", official.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(List.of("simil: note: evaluating on the model's own splits (--holdout 50 --val-per-class 2 --split-seed 1), carved from "
                + official + ", which is not the archive the model was trained on (" + trainOnly.toAbsolutePath().normalize() + ")"),
                eval.err().lines().filter(l -> l.startsWith("simil: note:")).toList(), eval.err());
        EvalReport report = EvalReport.read(carved.resolve("eval-holdout-balanced").resolve("report.json"));
        assertEquals(100, report.nImages(), "the carved 50 per class, not the 3 per class of official val/");
        assertEquals("50 per class carved from train/", report.splitSource());

        Map<String, String> before = Folders.everyByte(onVal);
        SimilProcess.Result refused = simil.run("eval-on-val", "eval", "--model", onVal.toString(), "--data", trainOnly.toString());
        assertEquals(1, refused.exitCode(), refused.err());
        assertEquals(List.of("simil: error: the model's holdout is the official val/ of " + official.toAbsolutePath().normalize() + ", and "
                + trainOnly + " has none: a holdout carved from its train/ would hold images the model trained on; evaluate with an archive"
                + " that has val/"), refused.err().lines().filter(l -> l.startsWith("simil: error:")).toList(), refused.err());
        assertEquals(before, Folders.everyByte(onVal), "the refused evaluation wrote nothing");
        SimilProcess.Result onItsVal = simil.run("eval-on-its-val", "eval", "--model", onVal.toString(), "--data", official.toString());
        assertEquals(0, onItsVal.exitCode(), onItsVal.err());
        assertEquals("official val/", EvalReport.read(onVal.resolve("eval-holdout-balanced").resolve("report.json")).splitSource());
    }

    private static String[] train(Path zip, Path run, String... extra) {
        return trainWithHoldout(zip, run, "2", extra);
    }

    private static String[] trainWithHoldout(Path zip, Path run, String holdout, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "matchnet", "--recipe", "seed", "--data", zip.toString(), "--holdout", holdout, "--val-per-class", "2",
                "--batch", "2", "--epochs", "1", "--out", run.toString()));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }
}
