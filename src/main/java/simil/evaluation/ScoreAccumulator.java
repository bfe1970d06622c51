package simil.evaluation;

import java.util.Arrays;
import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;

/**
 * Streaming summary of (score, label) pairs, for evaluations too large to keep per pair (every
 * ordered pair of a 10,000-image split is 10^8 of them). It keeps
 * <ul>
 *   <li>the exact confusion matrix at each threshold given to the constructor ("same" is predicted
 *       when score >= threshold), counted pair by pair;
 *   <li>a histogram of the scores of "same" and of "different" pairs over {@link ScoreBins}
 *       (about 2.3 million bins, 37 MB), from which {@link RankMetrics}, {@link Curve} and
 *       {@link ThresholdChoice} are computed.
 * </ul>
 * Not thread-safe: give each thread its own accumulator and {@link #merge} them at the end;
 * merging is exact, so the result does not depend on how the pairs were split.
 */
public final class ScoreAccumulator {
    private final float[] thresholds;
    /** Per threshold: tp, fp, fn, tn, indexed by 2 * (predicted "different") + (truly "different"). */
    private final long[] confusionCounts;
    private final long[] sameCounts = new long[ScoreBins.COUNT];
    private final long[] differentCounts = new long[ScoreBins.COUNT];

    /** @param thresholds thresholds whose confusion matrices are counted exactly; each in [0, 1] */
    public ScoreAccumulator(float... thresholds) {
        for (float t : thresholds) {
            checkProbability(t, "threshold");
        }
        this.thresholds = thresholds.clone();
        this.confusionCounts = new long[4 * thresholds.length];
    }

    /** Adds one pair. */
    public void add(float score, boolean same) {
        checkProbability(score, "score");
        int bin = ScoreBins.index(score);
        if (same) {
            sameCounts[bin]++;
        } else {
            differentCounts[bin]++;
        }
        int truth = same ? 0 : 1;
        for (int t = 0; t < thresholds.length; t++) {
            int predicted = score >= thresholds[t] ? 0 : 2;
            confusionCounts[4 * t + predicted + truth]++;
        }
    }

    /** Adds the first {@code length} pairs of a chunk: {@code scores[i]} with truth {@code same[i]}. */
    public void add(float[] scores, boolean[] same, int length) {
        if (length > scores.length || length > same.length) {
            throw new IllegalArgumentException("length " + length + " exceeds the chunk ("
                    + scores.length + " scores, " + same.length + " labels)");
        }
        for (int i = 0; i < length; i++) {
            add(scores[i], same[i]);
        }
    }

    /** The thresholds whose confusion matrices are counted. */
    public float[] thresholds() {
        return thresholds.clone();
    }

    /**
     * Adds the pairs a backend counted ({@link ScoreHistogram#read}), with the same thresholds; a pair whose score
     * was no probability is an error here as in {@link #add(float, boolean)}.
     */
    public void add(ScoreHistogram.Counts counts) {
        if (!Arrays.equals(thresholds, counts.thresholds())) {
            throw new IllegalArgumentException("thresholds differ: " + Arrays.toString(thresholds)
                    + " vs " + Arrays.toString(counts.thresholds()));
        }
        if (counts.invalid() > 0) {
            throw new IllegalArgumentException(counts.invalid() + " pair scores are not probabilities in [0, 1] (NaN logits)");
        }
        addInto(confusionCounts, counts.confusion());
        addInto(sameCounts, counts.same());
        addInto(differentCounts, counts.different());
    }

    /** Adds all pairs counted by {@code other}, which must have been built with the same thresholds. */
    public void merge(ScoreAccumulator other) {
        if (!Arrays.equals(thresholds, other.thresholds)) {
            throw new IllegalArgumentException("thresholds differ: " + Arrays.toString(thresholds)
                    + " vs " + Arrays.toString(other.thresholds));
        }
        addInto(confusionCounts, other.confusionCounts);
        addInto(sameCounts, other.sameCounts);
        addInto(differentCounts, other.differentCounts);
    }

    /** The exact confusion matrix at {@code threshold}, which must be one given to the constructor. */
    public Confusion confusionAt(float threshold) {
        for (int t = 0; t < thresholds.length; t++) {
            if (thresholds[t] == threshold) {
                int base = 4 * t;
                return new Confusion(confusionCounts[base], confusionCounts[base + 1],
                        confusionCounts[base + 3], confusionCounts[base + 2]);
            }
        }
        throw new IllegalArgumentException("threshold " + threshold + " was not counted; counted: "
                + Arrays.toString(thresholds));
    }

    /** Number of "same" pairs added. */
    public long positives() {
        return Arrays.stream(sameCounts).sum();
    }

    /** Number of "different" pairs added. */
    public long negatives() {
        return Arrays.stream(differentCounts).sum();
    }

    long sameInBin(int bin) {
        return sameCounts[bin];
    }

    long differentInBin(int bin) {
        return differentCounts[bin];
    }

    private static void addInto(long[] target, long[] source) {
        for (int i = 0; i < target.length; i++) {
            target[i] += source[i];
        }
    }

    private static void checkProbability(float value, String what) {
        if (!(value >= 0f && value <= 1f)) {
            throw new IllegalArgumentException(what + " " + value + " is not a probability in [0, 1]");
        }
    }
}
