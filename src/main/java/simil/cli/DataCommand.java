package simil.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import simil.backend.Backends;
import simil.data.AllOrderedPairs;
import simil.data.ImageStore;
import simil.data.Split;
import simil.data.Splits;

/** {@code simil data}: loads (and on first use decodes and caches) TinyImageNet, then prints its classes, splits and pair counts. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Load TinyImageNet-200 (decoding it once into the cache) and print classes, splits and pair counts.")
public final class DataCommand implements Callable<Integer> {
    private static final int NAMES_SHOWN = 5;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataOptions dataOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataOptions.Loaded loaded = dataOptions.load(System.err);
        ImageStore store = loaded.store();
        Splits splits = loaded.splits();

        out.printf("cpu:     %s%n", Backends.open("cpu").device().description());
        out.printf("data:    %s%n", loaded.archive());
        out.printf("cache:   %s (loaded in %.2f s)%n", store.cacheFile(), loaded.loadSeconds());
        out.printf("images:  %d decoded, %d skipped as unreadable%n", store.size(), store.skipped().size());
        out.printf("classes: %d, e.g.%n", store.classCount());
        for (int c = 0; c < Math.min(NAMES_SHOWN, store.classCount()); c++) out.printf("  %s  %s%n", store.wnid(c), store.className(c));
        out.printf("splits:  seed %d, holdout: %s, validation: %d per class carved from train/%n",
                splits.seed(), splits.holdoutSource(), dataOptions.validationPerClass);
        if (splits.heldOutClasses().count() > 0) {
            out.printf("held out of training: %d classes (split %s: their holdout images), e.g. %s%n", splits.heldOutClasses().count(),
                    Splits.UNSEEN, store.wnid(splits.heldOutClasses().unseen()[0]));
        }
        out.printf("  %-10s %8s %16s %16s %16s%n", "split", "images", "ordered pairs", "same", "different");
        List<Split> shown = new ArrayList<>(List.of(splits.train(), splits.validation(), splits.holdout()));
        if (splits.heldOutClasses().count() > 0) shown.add(splits.unseen());
        for (Split split : shown) {
            AllOrderedPairs pairs = new AllOrderedPairs(split);
            out.printf("  %-10s %8d %16d %16d %16d%n", split.name(), split.size(), pairs.total(), pairs.same(), pairs.different());
        }
        out.flush();
        return 0;
    }
}
