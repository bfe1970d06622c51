package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import simil.tensor.ScoreBins;

class ScoreAccumulatorTest {

    @Test
    void mergingTwoHalvesEqualsAccumulatingAll() {
        Pairs pairs = RankMetricsTest.randomPairs(50_000, 21);
        float[] thresholds = {0.5f, 0.3f};
        ScoreAccumulator whole = pairs.accumulate(thresholds);
        int half = 20_000;
        ScoreAccumulator first = new ScoreAccumulator(thresholds);
        first.add(pairs.scores(), pairs.same(), half);
        ScoreAccumulator second = new ScoreAccumulator(thresholds);
        for (int i = half; i < pairs.scores().length; i++) {
            second.add(pairs.scores()[i], pairs.same()[i]);
        }
        first.merge(second);

        assertEquals(whole.positives(), first.positives());
        assertEquals(whole.negatives(), first.negatives());
        for (float t : thresholds) {
            assertEquals(whole.confusionAt(t), first.confusionAt(t));
        }
        for (int bin = 0; bin < ScoreBins.COUNT; bin++) {
            assertEquals(whole.sameInBin(bin), first.sameInBin(bin));
            assertEquals(whole.differentInBin(bin), first.differentInBin(bin));
        }
        assertEquals(RankMetrics.of(whole), RankMetrics.of(first));
    }

    @Test
    void countedConfusionMatchesTheHistogramAtABinEdge() {
        Pairs pairs = RankMetricsTest.randomPairs(50_000, 22);
        float edge = ScoreBins.lowerEdge(ScoreBins.index(0.37f));
        Confusion counted = pairs.accumulate(edge).confusionAt(edge);
        long tp = 0;
        long fp = 0;
        ScoreAccumulator histogram = pairs.accumulate();
        for (int bin = ScoreBins.index(edge); bin < ScoreBins.COUNT; bin++) {
            tp += histogram.sameInBin(bin);
            fp += histogram.differentInBin(bin);
        }
        assertEquals(new Confusion(tp, fp, histogram.negatives() - fp, histogram.positives() - tp), counted);
    }

    @Test
    void onlyTheGivenLengthOfAChunkIsAdded() {
        float[] scores = {0.9f, 0.1f, 0.8f, 0.7f};
        boolean[] same = {true, false, true, true};
        ScoreAccumulator accumulator = new ScoreAccumulator(0.5f);
        accumulator.add(scores, same, 2);
        assertEquals(new Confusion(1, 0, 1, 0), accumulator.confusionAt(0.5f));
        assertThrows(IllegalArgumentException.class, () -> accumulator.add(scores, same, 5));
    }

    @Test
    void rejectsWhatIsNotAProbability() {
        ScoreAccumulator accumulator = new ScoreAccumulator(0.5f);
        for (float bad : new float[] {Float.NaN, -0.01f, 1.0001f, Float.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> accumulator.add(bad, true), "score " + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new ScoreAccumulator(1.5f));
        assertEquals(0, accumulator.positives() + accumulator.negatives());
    }

    @Test
    void refusesUncountedThresholdAndMismatchedMerge() {
        ScoreAccumulator accumulator = new ScoreAccumulator(0.5f);
        assertThrows(IllegalArgumentException.class, () -> accumulator.confusionAt(0.4f));
        assertThrows(IllegalArgumentException.class, () -> accumulator.merge(new ScoreAccumulator(0.4f)));
    }
}
