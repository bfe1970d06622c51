package simil.optim;

/**
 * Linear warmup from 0 to {@code peak} over the first {@code warmupSteps} steps (lr = peak · step / warmup),
 * then a half cosine from {@code peak} down to {@code floor} at {@code totalSteps}; {@code floor} after that.
 * The shape of timm's and Hugging Face's cosine schedules, which BEiT fine-tuning uses.
 */
public record WarmupCosine(float peak, long warmupSteps, long totalSteps, float floor) implements LrSchedule {
    public WarmupCosine {
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("warmup " + warmupSteps + " steps of " + totalSteps);
        }
        if (!(floor >= 0f && floor <= peak)) throw new IllegalArgumentException("floor " + floor + " not in [0, " + peak + "]");
    }

    @Override
    public float at(long step) {
        if (step < warmupSteps) return (float) ((double) peak * step / warmupSteps);
        if (step >= totalSteps) return floor;
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
