package simil.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import simil.backend.cpu.CpuBackend;
import simil.models.PairModel;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.training.Recipe;
import simil.training.TrainingRun;

/** {@code simil train matchnet}: trains a model with a recipe, checkpointing every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a similarity model.")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Architecture: matchnet or beit.")
    String architecture;

    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipeOptions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory (model, checkpoints, metrics).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--config", paramLabel = "SIZE", description = "beit: tiny, small or base (default tiny; with --init, that encoder's shape).")
    String beitConfig;

    @Option(names = "--init", paramLabel = "DIR", description = "beit: start from the encoder of this pre-trained or imported model directory.")
    Path init;

    @Override
    public Integer call() throws Exception {
        boolean beit = architecture.equals(BeitConfig.ARCHITECTURE);
        if (!beit && (init != null || beitConfig != null)) throw new IllegalArgumentException("--config and --init apply to beit only");
        Recipe recipe = recipeOptions.recipe();
        DataOptions.Loaded loaded = data.load(System.err);
        PairModel model = beit
                ? Beit.forTraining(CpuBackend.get(), beitConfig, init, recipe.seed())
                : Architectures.build(architecture, recipe);
        System.err.printf("training %s with recipe %s on %s%n", architecture, recipe.name(), CpuBackend.get().name());
        java.nio.file.Files.createDirectories(out);
        data.record(out);
        new TrainingRun(model, recipe, loaded.store(), loaded.splits(), out, System.err).run(resume);
        System.out.println("model written to " + out);
        return 0;
    }
}
