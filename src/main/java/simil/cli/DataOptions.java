package simil.cli;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import simil.data.CacheLocation;
import simil.data.DataSource;
import simil.data.ImageStore;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;
import simil.io.AtomicFiles;

/**
 * Where the images come from and how they are split, shared by every command that reads them. A
 * training run records these settings in {@code data.json} so that evaluating its model carves the
 * very same holdout.
 */
public final class DataOptions {
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

    @Option(names = "--classes", paramLabel = "N", description = "Use only the first N classes of wnids.txt.")
    Integer classes;

    @Option(names = "--per-class", paramLabel = "K", description = "Use at most K training images per class.")
    Integer perClass;

    @Option(names = "--strict", description = "Fail on any unreadable image instead of skipping it with a warning.")
    boolean strict;

    /** The settings as recorded beside a model. */
    record Recorded(int holdout, int validationPerClass, long splitSeed, Integer classes, Integer perClass) {}

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

    Loaded load(PrintStream log) {
        validate();
        Path archive = DataSource.resolve(data, System.getenv(), Path.of(""), log);
        Subset subset = new Subset(classes == null ? Subset.ALL.classes() : classes, perClass == null ? Subset.ALL.perClass() : perClass);
        long start = System.nanoTime();
        ImageStore store = TinyImageNet.load(archive, subset, CacheLocation.directory(System.getenv()), strict, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        Splits splits = Splits.carve(store, splitSeed, holdout, validationPerClass);
        log.printf("data: %s — %d classes; train %d, validation %d, %s %d images (split seed %d)%n", archive,
                store.classCount(), splits.train().size(), splits.validation().size(), splits.holdout().name(),
                splits.holdout().size(), splitSeed);
        return new Loaded(store, splits, archive, seconds);
    }

    void record(Path modelDir) throws IOException {
        AtomicFiles.writeString(modelDir.resolve("data.json"),
                new Gson().toJson(new Recorded(holdout, validationPerClass, splitSeed, classes, perClass)));
    }

    /** Adopts a model's recorded split settings (the data path stays the caller's). */
    void adoptRecorded(Path modelDir) throws IOException {
        Path file = modelDir.resolve("data.json");
        if (!Files.exists(file)) return;
        Recorded r = new Gson().fromJson(Files.readString(file), Recorded.class);
        holdout = r.holdout();
        validationPerClass = r.validationPerClass();
        splitSeed = r.splitSeed();
        classes = r.classes();
        perClass = r.perClass();
    }
}
