package simil.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a time budget sizes a run: from each phase's measured cost, the epochs every phase gets so that the whole
 * run (the probe that measured it included) fits in the budget. Phases are then built with these epochs, so
 * every learning-rate schedule runs to its end; no phase is cut short. The recipe's epochs are kept when they
 * fit (a budget never adds epochs). The plan is written as {@value #FILE} beside the run, and --resume follows it.
 *
 * @param budgetMinutes the budget
 * @param probeSeconds  wall time the probe took (spent from the budget before the first epoch)
 * @param phases        the run's phases in order, with the epochs planned
 */
record BudgetPlan(float budgetMinutes, double probeSeconds, List<PhasePlan> phases) {
    static final String FILE = "plan.json";

    /**
     * The plan for {@code measured} phases (each at its recipe's epochs) in {@code budgetMinutes}, after a probe of
     * {@code probeSeconds}. Throws IllegalArgumentException when one epoch of every phase does not fit.
     */
    static BudgetPlan fit(float budgetMinutes, double probeSeconds, List<PhasePlan> measured) {
        double room = budgetMinutes * 60.0 - probeSeconds;
        BudgetPlan asRecipe = new BudgetPlan(budgetMinutes, probeSeconds, List.copyOf(measured));
        if (asRecipe.phaseSeconds() <= room) return asRecipe;
        BudgetPlan least = asRecipe.withEpochs(measured.stream().mapToInt(p -> 1).toArray());
        if (least.phaseSeconds() > room) throw new IllegalArgumentException(least.cannotHoldOneEpoch());
        // One factor for every phase: the recipe's split between tower and metric training is what was tuned
        // (README, Recipes), so each phase keeps the same share of its epochs instead of one giving up all of
        // them, and each keeps at least one (a phase without an epoch would leave its network untrained).
        double caching = measured.stream().mapToDouble(PhasePlan::cachingSeconds).sum();
        double epochWork = measured.stream().mapToDouble(p -> p.recipeEpochs() * p.epochSeconds()).sum();
        double factor = (room - caching) / epochWork;
        int[] epochs = measured.stream().mapToInt(p -> Math.max(1, (int) Math.floor(p.recipeEpochs() * factor))).toArray();
        // Rounding down fits, unless raising a phase to one epoch pushed the sum over: then the phase that kept
        // the largest share gives one back, until it fits (one epoch of each fits, checked above).
        while (asRecipe.withEpochs(epochs).phaseSeconds() > room) {
            int most = -1;
            for (int i = 0; i < epochs.length; i++) {
                if (epochs[i] > 1 && (most < 0 || share(epochs[i], measured.get(i)) > share(epochs[most], measured.get(most)))) most = i;
            }
            epochs[most]--;
        }
        return asRecipe.withEpochs(epochs);
    }

    /** Epochs planned for the phase called {@code name}; 0 when the run has no such phase. */
    int epochsOf(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).mapToInt(PhasePlan::epochs).findFirst().orElse(0);
    }

    /** Estimated wall time of the whole run: the probe, then every phase as planned. */
    double seconds() {
        return probeSeconds + phaseSeconds();
    }

    /** Whether every phase keeps its recipe's epochs. */
    boolean keepsRecipeEpochs() {
        return phases.stream().allMatch(p -> p.epochs() == p.recipeEpochs());
    }

    /** The plan as the log prints it: a header, one line per phase, and the total against the budget. */
    String describe() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "time budget of %s, planned from a %s probe:%n",
                minutes(budgetMinutes), seconds(probeSeconds)));
        for (PhasePlan p : phases) {
            text.append(String.format(Locale.ROOT, "  %-10s %s%d of %d epochs × %s ≈ %s%n", p.name(),
                    p.cachingSeconds() > 0 ? "caching ≈ " + seconds(p.cachingSeconds()) + ", then " : "",
                    p.epochs(), p.recipeEpochs(), seconds(p.epochSeconds()), seconds(p.seconds())));
        }
        String verdict = keepsRecipeEpochs() ? "the recipe's epochs fit"
                : "the recipe's epochs (≈ " + seconds(probeSeconds + withEpochs(phases.stream().mapToInt(PhasePlan::recipeEpochs).toArray())
                        .phaseSeconds()) + ") would not, so every phase keeps the same share of them";
        return text.append(String.format(Locale.ROOT, "  in all ≈ %s of %s: %s", seconds(seconds()),
                seconds(budgetMinutes * 60.0), verdict)).toString();
    }

    /** One line comparing a finished run's wall time with this plan; a warning when it went past the budget. */
    String outcome(double spentSeconds) {
        String line = String.format(Locale.ROOT, "time budget of %s: %s spent, ≈ %s planned", minutes(budgetMinutes),
                seconds(spentSeconds), seconds(seconds()));
        return spentSeconds > budgetMinutes * 60.0
                ? "warning: " + line + "; the run went slower than its probe (every planned epoch ran)" : line;
    }

    String toJson() { return new GsonBuilder().setPrettyPrinting().create().toJson(this); }

    static BudgetPlan fromJson(String json) { return new Gson().fromJson(json, BudgetPlan.class); }

    private double phaseSeconds() {
        return phases.stream().mapToDouble(PhasePlan::seconds).sum();
    }

    private BudgetPlan withEpochs(int[] epochs) {
        List<PhasePlan> planned = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) planned.add(phases.get(i).withEpochs(epochs[i]));
        return new BudgetPlan(budgetMinutes, probeSeconds, planned);
    }

    /** The error of a budget too small for one epoch of each phase (this plan holds one of each). */
    private String cannotHoldOneEpoch() {
        String costs = phases.stream().map(p -> (p.cachingSeconds() > 0 ? "caching ≈ " + seconds(p.cachingSeconds()) + ", " : "")
                + p.name() + " 1 epoch ≈ " + seconds(p.epochSeconds())).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "time budget of %s cannot hold one epoch of every phase: %s (%s in all with the %s probe); "
                + "raise --budget-minutes or use a smaller --classes/--per-class", minutes(budgetMinutes), costs,
                seconds(seconds()), seconds(probeSeconds));
    }

    private static double share(int epochs, PhasePlan phase) {
        return (double) epochs / phase.recipeEpochs();
    }

    private static String minutes(float minutes) {
        return new BigDecimal(Float.toString(minutes)).stripTrailingZeros().toPlainString() + (minutes == 1f ? " minute" : " minutes");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, s < 9.95 ? "%.1f s" : "%.0f s", s);
    }
}
