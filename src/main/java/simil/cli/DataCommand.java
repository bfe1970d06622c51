package simil.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import simil.data.AllOrderedPairs;
import simil.data.CacheLocation;
import simil.data.DataSource;
import simil.data.ImageStore;
import simil.data.Split;
import simil.data.Splits;
import simil.data.Subset;
import simil.data.TinyImageNet;

/** {@code simil data}: loads (and on first use decodes and caches) TinyImageNet, then prints its classes, splits and pair counts. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Load TinyImageNet-200 (decoding it once into the cache) and print classes, splits and pair counts.")
public final class DataCommand implements Callable<Integer> {
    private static final int NAMES_SHOWN = 5;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "PATH",
            description = "TinyImageNet zip or unpacked folder (default: $SIMIL_DATA, then ./data/tiny-imagenet-200.zip, downloaded when absent).")
    private Path data;

    @Option(names = "--holdout", paramLabel = "N", defaultValue = "-1",
            description = "Holdout images per class carved from train (default: the official val/ when present, else " + Splits.DEFAULT_HOLDOUT_PER_CLASS + ").")
    private int holdout;

    @Option(names = "--val-per-class", paramLabel = "N", defaultValue = "" + Splits.DEFAULT_VALIDATION_PER_CLASS,
            description = "Validation images per class carved from train for model selection (default: ${DEFAULT-VALUE}).")
    private int validationPerClass;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the split carving (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--classes", paramLabel = "N", description = "Load only the first N classes of wnids.txt.")
    private Integer classes;

    @Option(names = "--per-class", paramLabel = "K", description = "Load at most K training images per class.")
    private Integer perClass;

    @Option(names = "--strict", description = "Fail on any unreadable image instead of skipping it with a warning.")
    private boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path archive = DataSource.resolve(data, System.getenv(), Path.of(""), System.err);
        Subset subset = new Subset(classes == null ? Subset.ALL.classes() : classes, perClass == null ? Subset.ALL.perClass() : perClass);
        long start = System.nanoTime();
        ImageStore store = TinyImageNet.load(archive, subset, CacheLocation.directory(System.getenv()), strict, System.err);
        double seconds = (System.nanoTime() - start) / 1e9;
        Splits splits = Splits.carve(store, seed, holdout, validationPerClass);

        out.printf("data:    %s%n", archive);
        out.printf("cache:   %s (loaded in %.2f s)%n", store.cacheFile(), seconds);
        out.printf("images:  %d decoded, %d skipped as unreadable%n", store.size(), store.skipped().size());
        out.printf("classes: %d, e.g.%n", store.classCount());
        for (int c = 0; c < Math.min(NAMES_SHOWN, store.classCount()); c++) out.printf("  %s  %s%n", store.wnid(c), store.className(c));
        out.printf("splits:  seed %d, holdout: %s, validation: %d per class carved from train/%n",
                splits.seed(), splits.holdoutSource(), validationPerClass);
        out.printf("  %-10s %8s %16s %16s %16s%n", "split", "images", "ordered pairs", "same", "different");
        for (Split split : new Split[] {splits.train(), splits.validation(), splits.holdout()}) {
            AllOrderedPairs pairs = new AllOrderedPairs(split);
            out.printf("  %-10s %8d %16d %16d %16d%n", split.name(), split.size(), pairs.total(), pairs.same(), pairs.different());
        }
        out.flush();
        return 0;
    }
}
