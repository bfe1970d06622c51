package simil.scoring;

import java.util.Arrays;
import java.util.Locale;
import simil.tensor.PosteriorScore;
import simil.tensor.Sigmoid;

/**
 * What a pair's score is made of ({@code --scorer}): the metric network's probability, the class posteriors'
 * q = Σ_c p_a(c)·p_b(c) (the probability that the two images share a class, from the classifier head the tower was
 * trained with), or both mixed as {@link PosteriorScore#mixed} says why. Posterior scores apply only to the classes
 * the classifier was trained on. {@code simil eval} and {@code compare} use METRIC unless told otherwise, until a
 * measurement on the validation split says a posterior score does better.
 */
public enum Scorer {
    METRIC, POSTERIOR, BOTH;

    /** The name options and reports use: "metric", "posterior" or "both". */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean usesMetric() { return this != POSTERIOR; }

    public boolean usesPosterior() { return this != METRIC; }

    /** The scorer called {@code name}, in any case; anything else is an error listing them. */
    public static Scorer named(String name) {
        for (Scorer s : values()) {
            if (s.cliName().equalsIgnoreCase(name)) return s;
        }
        throw new IllegalArgumentException("'" + name + "' is not one of "
                + String.join(", ", Arrays.stream(values()).map(Scorer::cliName).toList()));
    }

    /**
     * One pair's score on the host, as the backend's histograms score it: from the metric network's logit {@code z} (unused
     * by POSTERIOR) and the posterior score {@code q} over {@code classes} classes (unused by METRIC).
     */
    public float score(float z, float q, int classes) {
        return switch (this) {
            case METRIC -> Sigmoid.of(z);
            case POSTERIOR -> PosteriorScore.of(q);
            case BOTH -> PosteriorScore.mixed(z, q, PosteriorScore.priorShift(classes));
        };
    }
}
