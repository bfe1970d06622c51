package simil.training;

/**
 * One phase of a {@link BudgetPlan}: what its probe measured and how many of the recipe's epochs it gets.
 *
 * @param name           the phase's name (classifier, pairs, metric, mim)
 * @param recipeEpochs   the epochs the recipe asks for
 * @param epochs         the epochs planned (at most the recipe's, at least 1)
 * @param epochSeconds   estimated wall time of one epoch, its validation included
 * @param cachingSeconds estimated wall time of the feature caching before its first epoch (the metric phase; 0 for others)
 */
record PhasePlan(String name, int recipeEpochs, int epochs, double epochSeconds, double cachingSeconds) {
    /** A measured phase, planned at the recipe's epochs. */
    static PhasePlan measured(String name, int recipeEpochs, double epochSeconds, double cachingSeconds) {
        return new PhasePlan(name, recipeEpochs, recipeEpochs, epochSeconds, cachingSeconds);
    }

    /** Estimated wall time of the phase as planned: caching, then every planned epoch. */
    double seconds() {
        return cachingSeconds + epochs * epochSeconds;
    }

    PhasePlan withEpochs(int planned) {
        return new PhasePlan(name, recipeEpochs, planned, epochSeconds, cachingSeconds);
    }
}
