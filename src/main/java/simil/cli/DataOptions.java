package simil.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simil.data.CacheLocation;
import simil.data.DataFingerprint;
import simil.data.DataSource;
import simil.data.HeldOutClasses;
import simil.data.ImageStore;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;
import simil.training.RunProvenance;

/**
 * Where the images come from and how they are split, shared by every command that reads them. A
 * training run records these settings with its archive's fingerprint in {@code data.json}, so that a
 * resume is refused other data and evaluating its model carves the very same holdout.
 */
public final class DataOptions {
    /** The command these options belong to, to tell the options given from their defaults. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--data", paramLabel = "PATH",
            description = "TinyImageNet zip or unpacked folder (default: $SIMIL_DATA, then ./data/tiny-imagenet-200.zip, downloaded when absent).")
    Path data;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "-1",
            description = "Holdout (test) images per class carved from train (default: the official val/ when present, else "
                    + Splits.DEFAULT_HOLDOUT_PER_CLASS + ").")
    int holdout;

    @Option(names = "--val-per-class", paramLabel = "N", defaultValue = "" + Splits.DEFAULT_VALIDATION_PER_CLASS,
            description = "Validation images per class carved from train for model selection (default: ${DEFAULT-VALUE}).")
    int validationPerClass;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "1", description = "Seed of the split carving (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--holdout-classes", paramLabel = "N", defaultValue = "0",
            description = "Hold N whole classes (chosen by --split-seed) out of training: no image of theirs is trained or validated on, "
                    + "and the classifier has no output for them; their holdout images are the split 'unseen' (default: ${DEFAULT-VALUE}, none).")
    int holdoutClasses;

    @Option(names = "--classes", paramLabel = "N", description = "Use only the first N classes of wnids.txt.")
    Integer classes;

    @Option(names = "--per-class", paramLabel = "K", description = "Use at most K training images per class.")
    Integer perClass;

    /** The archive whose official val/ was the adopted model's holdout, which {@link #load} then requires; null if none. */
    private String requireOfficialVal;

    @Option(names = "--strict", description = "Fail on any unreadable image instead of skipping it with a warning.")
    boolean strict;

    /** Loaded images and their splits, with where they came from and how long loading took. */
    record Loaded(ImageStore store, Splits splits, Path archive, double loadSeconds) {}

    /**
     * Fails, naming the option, on sizes that cannot carve a split: counts below their least, or fewer
     * images per class than holdout and validation keep (--classes beyond the archive's is refused when it is read).
     */
    void validate() {
        if (holdout < -1) throw new IllegalArgumentException("--holdout " + holdout + ": must be 0 or more");
        OptionChecks.atLeast("--val-per-class", validationPerClass, 0);
        if (classes != null) OptionChecks.atLeast("--classes", classes, 1);
        HeldOutClasses.check(holdoutClasses, classes == null ? Integer.MAX_VALUE : classes);
        if (perClass != null) {
            OptionChecks.atLeast("--per-class", perClass, 1);
            int kept = Math.max(holdout, 0) + validationPerClass;
            if (perClass <= kept) {
                throw new IllegalArgumentException("--per-class " + perClass + ": must be more than "
                        + (holdout > 0 ? "--holdout " + holdout + " + " : "") + "--val-per-class " + validationPerClass
                        + " (the images a class keeps out of training)");
            }
        }
    }

    /** The classes and images per class these options take. */
    Subset subset() {
        return new Subset(classes == null ? Subset.ALL.classes() : classes, perClass == null ? Subset.ALL.perClass() : perClass);
    }

    Loaded load(PrintStream log) {
        return load(archive(log), log);
    }

    /** The archive these options name, once they are valid; downloaded first when none is given and none is here. */
    Path archive(PrintStream log) {
        validate();
        return DataSource.resolve(data, System.getenv(), Path.of(""), log);
    }

    /** What a run on {@code archive} with these options trains on. */
    DataFingerprint fingerprint(Path archive) {
        return DataFingerprint.of(archive, classes, perClass, holdout, validationPerClass, splitSeed, holdoutClasses);
    }

    Loaded load(Path archive, PrintStream log) {
        Subset subset = subset();
        long start = System.nanoTime();
        ImageStore store = TinyImageNet.load(archive, subset, CacheLocation.directory(System.getenv()), strict, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        Splits splits = Splits.carve(store, splitSeed, holdout, validationPerClass, holdoutClasses);
        if (requireOfficialVal != null && !splits.holdoutSource().equals(Splits.OFFICIAL_VAL)) {
            throw new IllegalArgumentException("the model's holdout is the official val/ of " + requireOfficialVal + ", and " + archive
                    + " has none: a holdout carved from its train/ would hold images the model trained on; evaluate with an archive that has val/");
        }
        log.printf("data: %s — %d classes; train %d, validation %d, %s %d images%s (split seed %d)%n", archive,
                store.classCount(), splits.train().size(), splits.validation().size(), splits.holdout().name(),
                splits.holdout().size(), holdoutClasses == 0 ? "" : "; " + holdoutClasses + " classes held out of training, "
                        + Splits.UNSEEN + " " + splits.unseen().size() + " images", splitSeed);
        return new Loaded(store, splits, archive, seconds);
    }

    /**
     * Adopts the subset and split settings recorded in model directory {@code modelDir} (none when it records none),
     * so that a model is evaluated on its own holdout; says so in one line on {@code log} when that overrides split
     * options given here, or when {@code archive} is not the one the model was trained on. A holdout the run left to
     * the archive (no --holdout) is pinned as it was resolved ({@code provenance.json}): carved from train/ when the
     * run's archive had no val/, whatever this archive has; the official val/ when it had, and {@link #load} then
     * refuses an archive without one (a holdout carved from train/ would hold images the model trained on).
     */
    void adoptRun(Path modelDir, Path archive, PrintStream log) {
        DataFingerprint run = DataFingerprint.read(modelDir);
        if (run == null) return;
        DataFingerprint given = fingerprint(archive);
        List<String> overridden = new ArrayList<>();
        for (DataFingerprint.Difference d : given.differencesFrom(run)) {
            if (!d.option().equals("--data") && command.commandLine().getParseResult().hasMatchedOption(d.option())) {
                overridden.add(d.option() + " " + d.value());
            }
        }
        holdout = run.holdout();
        validationPerClass = run.validationPerClass();
        splitSeed = run.splitSeed();
        holdoutClasses = run.holdoutClasses();
        classes = run.classes();
        perClass = run.perClass();
        String holdoutSource = "";
        if (holdout < 0) {
            Boolean official = RunProvenance.holdoutWasOfficialVal(modelDir);
            if (official == null) {
                holdoutSource = "; the run did not record whether its holdout was the official val/";
            } else if (official) {
                requireOfficialVal = run.archive();
                holdoutSource = "; the holdout is the official val/, as in training";
            } else {
                holdout = Splits.DEFAULT_HOLDOUT_PER_CLASS;
            }
        }
        boolean otherArchive = !given.sameArchiveAs(run);
        if (overridden.isEmpty() && !otherArchive) return;
        log.println("simil: note: evaluating on the model's own splits (" + run.withHoldout(holdout).splitOptions() + holdoutSource + ")"
                + (overridden.isEmpty() ? "" : ", not " + String.join(" ", overridden))
                + (!otherArchive ? "" : given.archive().equals(run.archive())
                        ? ", carved from " + archive + ", whose content changed since the model was trained on it"
                        : ", carved from " + archive + ", which is not the archive the model was trained on (" + run.archive() + ")"));
    }

}
