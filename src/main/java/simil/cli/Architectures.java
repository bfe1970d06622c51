package simil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import simil.data.Normalization;
import simil.io.ModelDirectory;
import simil.models.PairModel;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.models.files.ModelFiles;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;
import simil.training.Recipe;

/** The models {@code simil train} and {@code simil sweep} can build, by name, shaped for a recipe. */
public final class Architectures {
    private Architectures() {}

    /** What {@code simil train} and {@code simil sweep} take as MODEL. */
    static final List<String> NAMES = List.of("matchnet", BeitConfig.ARCHITECTURE);

    /** MODEL's values, for picocli's help and shell completion. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return NAMES.iterator(); }
    }

    /** Fails in one line listing the models when {@code architecture} is none of them: checked before any data is read. */
    static void check(String architecture) {
        if (!NAMES.contains(architecture)) {
            throw new IllegalArgumentException("unknown model '" + architecture + "' (" + String.join(", ", NAMES) + ")");
        }
    }

    /** A freshly initialized model on {@code backend} (weights seeded by the recipe), at the reference size. */
    public static PairModel build(Backend backend, String architecture, Recipe recipe) {
        return build(backend, architecture, recipe, new BeitOptions());
    }

    /** As {@link #build(Backend, String, Recipe)}; a BEiT takes its size or initial encoder from {@code beit}. */
    public static PairModel build(Backend backend, String architecture, Recipe recipe, BeitOptions beit) {
        check(architecture);
        beit.requireBeitOr(architecture);
        return switch (architecture) {
            case "matchnet" -> {
                MatchNetConfig reference = MatchNetConfig.reference(recipe.seed());
                yield new MatchNet(backend, new MatchNetConfig(reference.bottleneck(), reference.metricHidden(),
                        reference.dropout(), recipe.batchNorm(), recipe.flipAverage(), recipe.symmetricScore(), recipe.seed()));
            }
            // beit-cpu's encoder is the cpu config unless --config or --init names another.
            case BeitConfig.ARCHITECTURE -> Beit.forTraining(backend,
                    beit.size == null && beit.init == null && recipe.name().equals("beit-cpu") ? "cpu" : beit.size,
                    beit.init, recipe.seed());
            default -> throw new IllegalStateException(architecture + " passed its check");
        };
    }

    /**
     * The pixel normalization the initial weights were trained with (the --init directory's
     * normalization.json: measured on TinyImageNet for our pre-training, the checkpoint's for an import),
     * or null when training starts from scratch and the recipe decides.
     */
    public static Normalization initialNormalization(BeitOptions beit) {
        if (beit.init == null || !Files.exists(beit.init.resolve(ModelDirectory.NORMALIZATION))) return null;
        return ModelFiles.readNormalization(beit.init);
    }
}
