package simil.training;

/**
 * Measures what one epoch of a phase costs, for a {@link BudgetPlan}: one warm-up step (first-touch
 * allocations, JIT compilation), then {@value #TIMED_STEPS} timed steps scaled to the epoch's step count, plus
 * one timed validation. It trains the model for those steps: {@link CheckpointedEpochs#plan} restores the
 * model's state afterwards, and the phase measured (its optimizer, any head) is thrown away.
 */
final class SpeedProbe {
    static final int TIMED_STEPS = 3;

    private SpeedProbe() {}

    /** {@code phase} measured, at its own epoch count; {@code cachingSeconds}: what caching its inputs costs (or 0). */
    static PhasePlan measure(Trainable model, Phase phase, double cachingSeconds) {
        int steps = phase.stepsPerEpoch();
        double stepSeconds = 0;
        if (steps > 0) {
            try (StepOutcomes outcomes = new StepOutcomes(phase.backend(), 1)) {
                phase.beginEpoch(0);
                model.restoreRandomStep(0);
                phase.step(0, 0, phase.lrAt(1), outcomes.row(0));
                phase.backend().synchronize();
                long start = System.nanoTime();
                for (int s = 1; s <= TIMED_STEPS; s++) {
                    model.restoreRandomStep(s);
                    phase.step(0, s % steps, phase.lrAt(s + 1), outcomes.row(0));
                }
                phase.backend().synchronize();
                stepSeconds = (System.nanoTime() - start) / 1e9 / TIMED_STEPS;
            }
        }
        long start = System.nanoTime();
        phase.validate();
        double validationSeconds = (System.nanoTime() - start) / 1e9;
        return PhasePlan.measured(phase.name(), phase.epochs(), steps * stepSeconds + validationSeconds, cachingSeconds);
    }

    /** Seconds {@code work} takes when run a second time (the first run warms up). */
    static double secondRunSeconds(Runnable work) {
        work.run();
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
