package simil.evaluation;

/** Test data: scores with their truth, and an accumulator fed with them. */
record Pairs(float[] scores, boolean[] same) {

    static Pairs of(double[] scores, int[] labels) {
        float[] s = new float[scores.length];
        boolean[] y = new boolean[labels.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) scores[i];
            y[i] = labels[i] == 1;
        }
        return new Pairs(s, y);
    }

    ScoreAccumulator accumulate(float... thresholds) {
        ScoreAccumulator accumulator = new ScoreAccumulator(thresholds);
        accumulator.add(scores, same, scores.length);
        return accumulator;
    }
}
