package simil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option checked before a command does any work: a usage error is one line with where the help is
 * (exit 2), a value out of range one line naming the option and its range (exit 1), and nothing is written.
 */
class OptionValidationTest {
    @TempDir
    Path dir;

    private String out() { return dir.resolve("out").toString(); }

    private String absent() { return dir.resolve("absent").toString(); }

    /** {@code args} fail with exit code {@code code} and exactly the line {@code simil: error: expected}, writing nothing. */
    private void assertRefused(int code, String expected, String... args) {
        InProcess.Outcome r = InProcess.simil(args);
        assertEquals(code, r.code(), String.join(" ", args) + ": " + r.err());
        assertEquals("simil: error: " + expected + "\n", r.err(), String.join(" ", args));
        assertEquals("", r.out(), String.join(" ", args));
        assertFalse(Files.exists(dir.resolve("out")), String.join(" ", args) + " wrote its output before failing");
    }

    private static String[] args(String command, String... rest) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void usageErrorsAreOneLineWithWhereTheHelpIs() {
        assertRefused(2, "Unknown option: '--foo'; try 'simil train --help'", "train", "matchnet", "--foo", "--out", out());
        assertRefused(2, "Unknown option: '--foo'; try 'simil train --help'", "train", "matchnet", "--foo");
        assertRefused(2, "Unknown option: '--lr2' (did you mean --lr?); try 'simil train --help'", "train", "matchnet", "--lr2", "--out", out());
        assertRefused(2, "Invalid value for option '--lr' (LR): 'abc' is not a float; try 'simil train --help'",
                "train", "matchnet", "--lr", "abc", "--out", out());
        assertRefused(2, "Missing required option: '--out=DIR'; try 'simil train --help'", "train", "matchnet");
        assertRefused(2, "Missing required parameter: 'B'; try 'simil compare --help'", "compare", "--model", absent(), "a.png");
        assertRefused(2, "Invalid value for option '--precision': 'fp16' is not one of fp32, int8; try 'simil eval --help'",
                "eval", "--model", absent(), "--precision", "fp16");
        assertRefused(2, "unknown command 'trian' (train, sweep, eval, compare, embed, search, data, import-hf, tokenizer, pretrain, export, device-check, completion); try 'simil --help'",
                "trian", "matchnet");
        assertRefused(2, "Invalid value for option '--vocab': 'many' is not an int; try 'simil tokenizer --help'",
                "tokenizer", "train", "--vocab", "many", "--out", out());
    }

    @Test
    void trainingValuesOutOfRangeNameTheOptionAndItsRange() {
        String train = "train matchnet --data " + absent() + " --out " + out();
        assertRefused(1, "--batch 0: must be 1 or more", args(train, "--batch", "0"));
        assertRefused(1, "--batch -5: must be 1 or more", args(train, "--batch", "-5"));
        assertRefused(1, "--lr -1.0: must be more than 0", args(train, "--lr", "-1"));
        assertRefused(1, "--lr 0.0: must be more than 0", args(train, "--lr", "0"));
        assertRefused(1, "--epochs -3: must be 0 or more", args(train, "--recipe", "default", "--epochs", "-3"));
        assertRefused(1, "--epochs -3: must be 0 or more", args(train, "--epochs", "-3"));
        assertRefused(1, "--metric-epochs -1: must be 0 or more", args(train, "--recipe", "quick", "--metric-epochs", "-1"));
        assertRefused(1, "--weight-decay -0.1: must be 0 or more", args(train, "--weight-decay", "-0.1"));
        assertRefused(1, "--budget-minutes -1.0: must be 0 (no budget) or more", args(train, "--budget-minutes", "-1"));
        assertRefused(1, "--pairs-per-image 0.0: must be more than 0", args(train, "--pairs-per-image", "0"));
        assertRefused(1, "--set labelSmoothing=1.0: must be in [0, 1)", args(train, "--set", "labelSmoothing=1"));
        assertRefused(1, "--set metricLr=-0.001: must be more than 0", args(train, "--set", "metricLr=-1e-3"));
        assertRefused(1, "--set schedule takes one of constant, cosine, not 'linear'", args(train, "--set", "schedule=linear"));
        assertRefused(1, "--recipe fast: no such recipe (seed, default, quick, beit, beit-cpu) or recipe.json file", args(train, "--recipe", "fast"));
        assertRefused(1, "--config huge: must be one of tiny, small, base, cpu",
                "train", "beit", "--config", "huge", "--data", absent(), "--out", out());
        assertRefused(1, "--batch 0: must be 1 or more", "sweep", "matchnet", "--batch", "2,0", "--data", absent(), "--out", out());
    }

    /** A misspelled MODEL is named before the archive is looked for (it would be downloaded when absent). */
    @Test
    void aMisspelledModelIsRefusedBeforeAnyDataIsRead() {
        assertRefused(1, "unknown model 'matchnt' (matchnet, beit)", "train", "matchnt", "--data", absent(), "--out", out());
        assertRefused(1, "unknown model 'bert' (matchnet, beit)", "sweep", "bert", "--lr", "1e-4,1e-3", "--data", absent(), "--out", out());
        assertRefused(1, "unknown model 'matchnet' (beit)", "pretrain", "matchnet", "--tokenizer", absent(), "--data", absent(), "--out", out());
    }

    @Test
    void dataSizesThatCannotSplitNameTheOptions() {
        String train = "train matchnet --data " + absent() + " --out " + out();
        assertRefused(1, "--classes 0: must be 1 or more", args(train, "--classes", "0"));
        assertRefused(1, "--per-class 0: must be 1 or more", args(train, "--per-class", "0", "--val-per-class", "0", "--holdout", "0"));
        assertRefused(1, "--holdout -4: must be 0 or more", args(train, "--holdout", "-4"));
        assertRefused(1, "--val-per-class -1: must be 0 or more", args(train, "--val-per-class", "-1"));
        assertRefused(1, "--per-class 15: must be more than --holdout 5 + --val-per-class 10 (the images a class keeps out of training)",
                args(train, "--per-class", "15", "--holdout", "5"));
        assertRefused(1, "--per-class 3: must be more than --val-per-class 10 (the images a class keeps out of training)",
                args(train, "--per-class", "3"));
        assertRefused(1, "--holdout-classes 1: must be 0 (none) or 2 or more", args(train, "--holdout-classes", "1"));
        assertRefused(1, "--holdout-classes -2: must be 0 (none) or 2 or more", "data", "--data", absent(), "--holdout-classes", "-2");
        assertRefused(1, "--holdout-classes 9: the data has 10 classes, and at least 2 must stay to train on",
                "eval", "--model", absent(), "--classes", "10", "--holdout-classes", "9");
    }

    @Test
    void otherCommandsCheckTheirOptionsFirst() {
        String pretrain = "pretrain beit --tokenizer " + absent() + " --data " + absent() + " --out " + out();
        assertRefused(1, "--epochs -1: must be 0 or more", args(pretrain, "--epochs", "-1"));
        assertRefused(1, "--batch 0: must be 1 or more", args(pretrain, "--batch", "0"));
        assertRefused(1, "--lr 0.0: must be more than 0", args(pretrain, "--lr", "0"));
        assertRefused(1, "--weight-decay -1.0: must be 0 or more", args(pretrain, "--weight-decay", "-1"));
        assertRefused(1, "--warmup-steps -1: must be 0 or more", args(pretrain, "--warmup-steps", "-1"));
        assertRefused(1, "--images-per-epoch -1: must be 0 (the whole train split) or more", args(pretrain, "--images-per-epoch", "-1"));
        assertRefused(1, "--budget-minutes -1.0: must be 0 (no budget) or more", args(pretrain, "--budget-minutes", "-1"));
        assertRefused(1, "--config huge: must be one of tiny, small, base, cpu", args(pretrain, "--config", "huge"));

        String tokenizer = "tokenizer train --data " + absent() + " --out " + out();
        assertRefused(1, "--kind pca: must be one of vqvae, kmeans", args(tokenizer, "--kind", "pca"));
        assertRefused(1, "--vocab 1: must be 2 or more", args(tokenizer, "--vocab", "1"));
        assertRefused(1, "--epochs -1: must be 0 or more", args(tokenizer, "--epochs", "-1"));
        assertRefused(1, "--patches 100: must be 512 or more", args(tokenizer, "--kind", "kmeans", "--vocab", "512", "--patches", "100"));
        assertRefused(1, "--patches 1000: must be 1024 or more", args(tokenizer, "--vocab", "512", "--patches", "1000"));
        assertRefused(1, "--val-patches 0: must be 1 or more", args(tokenizer, "--val-patches", "0"));
        assertRefused(1, "unknown action 'fit' (train)", "tokenizer", "fit", "--data", absent(), "--out", out());

        assertRefused(1, "--split test: must be one of holdout, validation, train, unseen", "eval", "--model", absent(), "--split", "test");
        assertRefused(1, "--scorer both does not apply to --split unseen: the classifier has no output for classes held out of training; "
                + "use --scorer metric", "eval", "--model", absent(), "--split", "unseen", "--scorer", "both");
        assertRefused(2, "Invalid value for option '--scorer': 'cosine' is not one of metric, posterior, both; try 'simil eval --help'",
                "eval", "--model", absent(), "--scorer", "cosine");
        assertRefused(1, "--pairs some: must be one of balanced, all", "eval", "--model", absent(), "--pairs", "some");
        assertRefused(1, "--image-size 0: must be 1 or more",
                "import-hf", "--weights", absent(), "--config", absent(), "--out", out(), "--image-size", "0");
    }

    /** What needs the data is checked once it is read, still before a file is written or a step trained. */
    @Test
    void classesBeyondTheArchiveAndBatchesBeyondTheTrainingSetAreRefused() throws Exception {
        Path zip = SyntheticTinyImageNet.zip(dir.resolve("tiny.zip"), 3, 7);
        SimilProcess simil = new SimilProcess(dir);
        SimilProcess.Result classes = simil.run("classes", "train", "matchnet", "--data", zip.toString(), "--classes", "1000",
                "--holdout", "2", "--val-per-class", "2", "--out", out());
        assertEquals(1, classes.exitCode(), classes.err());
        assertEquals("simil: error: --classes 1000: the archive has 3 classes", classes.err().strip());
        SimilProcess.Result batch = simil.run("batch", "train", "matchnet", "--data", zip.toString(), "--holdout", "2",
                "--val-per-class", "2", "--batch", "10", "--out", out());
        assertEquals(1, batch.exitCode(), batch.err());
        assertTrue(batch.err().strip().endsWith("simil: error: --batch 10: must be at most 9, the number of training images"), batch.err());
        SimilProcess.Result heldOut = simil.run("held-out", "train", "matchnet", "--data", zip.toString(), "--holdout", "2",
                "--val-per-class", "2", "--holdout-classes", "2", "--out", out());
        assertEquals(1, heldOut.exitCode(), heldOut.err());
        assertTrue(heldOut.err().strip().endsWith("simil: error: --holdout-classes 2: the data has 3 classes, and at least 2 must stay to train on"),
                heldOut.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void anUnusableThreadCountIsOneLine() throws Exception {
        SimilProcess.Result r = new SimilProcess(dir).withEnvironment("SIMIL_THREADS", "none").run("threads", "compare", "--model", absent(), "a", "b");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("simil: error: SIMIL_THREADS=none: must be a number of threads, 1 or more", r.err().strip());
    }
}
