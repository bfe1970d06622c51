package simil.backend.cpu;

import simil.tensor.ScoreBins;
import simil.tensor.ScoreHistogram;
import simil.tensor.Sigmoid;

/**
 * A score histogram in Java arrays. Counting runs on one thread: it is a few percent of scoring a tile, and
 * counts are exact in any order, so the tiles' order decides nothing.
 */
final class CpuScoreHistogram implements ScoreHistogram {
    private final float[] thresholds;
    private long[] same = new long[ScoreBins.COUNT], different = new long[ScoreBins.COUNT];
    private final long[] confusion;
    private long invalid;

    CpuScoreHistogram(float[] thresholds) {
        for (float t : thresholds) {
            if (!(t >= 0f && t <= 1f)) throw new IllegalArgumentException("threshold " + t + " is not a probability in [0, 1]");
        }
        this.thresholds = thresholds.clone();
        this.confusion = new long[4 * thresholds.length];
    }

    @Override public float[] thresholds() { return thresholds.clone(); }

    /** Counts one pair {@code weight} times: the score of {@code logit}, in "same" or in "different". */
    void add(float logit, boolean isSame, int weight) {
        addScore(Sigmoid.of(logit), isSame, weight);
    }

    /** Counts one pair {@code weight} times at {@code score}, a probability (anything else is counted as invalid). */
    void addScore(float score, boolean isSame, int weight) {
        if (!(score >= 0f && score <= 1f)) {
            invalid += weight;
            return;
        }
        int bin = ScoreBins.index(score);
        if (isSame) same[bin] += weight;
        else different[bin] += weight;
        int truth = isSame ? 0 : 1;
        for (int t = 0; t < thresholds.length; t++) confusion[4 * t + (score >= thresholds[t] ? 0 : 2) + truth] += weight;
    }

    @Override
    public Counts read() {
        if (same == null) throw new IllegalStateException("score histogram read after close()");
        return new Counts(thresholds.clone(), same.clone(), different.clone(), confusion.clone(), invalid);
    }

    @Override
    public void close() {
        same = null;
        different = null;
    }
}
