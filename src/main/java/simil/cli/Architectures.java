package simil.cli;

import simil.backend.cpu.CpuBackend;
import simil.models.PairModel;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.training.Recipe;

/** The models {@code simil train} and {@code simil sweep} can build, by name, shaped for a recipe. */
public final class Architectures {
    private Architectures() {}

    /** A freshly initialized model (weights seeded by the recipe), at the reference size. */
    public static PairModel build(String architecture, Recipe recipe) {
        return switch (architecture) {
            case "matchnet" -> {
                MatchNetConfig reference = MatchNetConfig.reference(recipe.seed());
                yield new MatchNet(CpuBackend.get(), new MatchNetConfig(reference.bottleneck(), reference.metricHidden(),
                        reference.dropout(), recipe.batchNorm(), recipe.seed()));
            }
            default -> throw new IllegalArgumentException("unknown model '" + architecture + "' (matchnet)");
        };
    }
}
