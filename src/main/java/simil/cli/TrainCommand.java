package simil.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import simil.data.DataFingerprint;
import simil.models.PairModel;
import simil.tensor.Backend;
import simil.training.Recipe;
import simil.training.TrainingRun;

/** {@code simil train matchnet}: trains a model with a recipe, checkpointing every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a similarity model.")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", completionCandidates = Architectures.Names.class, description = "Architecture: ${COMPLETION-CANDIDATES}.")
    String architecture;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipeOptions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (model, checkpoints, metrics).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Mixin
    BeitOptions beit;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Architectures.check(architecture);
        Recipe recipe = recipeOptions.recipe(architecture);
        beit.requireBeitOr(architecture);
        Backend backend = device.open();
        Path archive = data.archive(System.err);
        DataFingerprint fingerprint = data.fingerprint(archive);
        // Refused before the data is loaded, and before anything is written.
        TrainingRun.checkCanStart(out, resume, recipe, fingerprint);
        DataOptions.Loaded loaded = data.load(archive, System.err);
        recipe.validateFor(loaded.splits().train().size());
        PairModel model = Architectures.build(backend, architecture, recipe, beit);
        System.err.printf("training %s with recipe %s on %s%n", architecture, recipe.name(), backend.device().description());
        new TrainingRun(model, recipe, Architectures.initialNormalization(beit), fingerprint, loaded.store(), loaded.splits(), out,
                System.err, Invocation.commandLine(spec)).run(resume);
        System.out.println("model written to " + out);
        return 0;
    }
}
