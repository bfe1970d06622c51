package simil.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThresholdChoiceTest {

    @Test
    void maximizesBalancedAccuracy() {
        // Balanced accuracy calling "same" from each score down: 0.9 .625, 0.8 .525, 0.7 .65, 0.65 .55,
        // 0.6 .675, 0.4 .575, 0.3 .7 (the best: all 4 same, 3 of 5 different), 0.2 .6, 0.1 .5.
        Pairs pairs = Pairs.of(new double[] {0.3, 0.6, 0.7, 0.9, 0.1, 0.2, 0.4, 0.65, 0.8},
                new int[] {1, 1, 1, 1, 0, 0, 0, 0, 0});
        float threshold = ThresholdChoice.maximizingBalancedAccuracy(pairs.accumulate());
        assertTrue(threshold > 0.2f && threshold <= 0.3f, "threshold " + threshold);
        Confusion confusion = pairs.accumulate(threshold).confusionAt(threshold);
        assertEquals(new Confusion(4, 3, 2, 0), confusion);
        assertEquals(0.7, confusion.balancedAccuracy(), 1e-12);
    }

    @Test
    void amongEquallyGoodThresholdsTheHighestWins() {
        // Anything in (0.2, 0.8] separates perfectly.
        Pairs pairs = Pairs.of(new double[] {0.8, 0.2}, new int[] {1, 0});
        float threshold = ThresholdChoice.maximizingBalancedAccuracy(pairs.accumulate());
        assertTrue(threshold > 0.7999f && threshold <= 0.8f, "threshold " + threshold);
    }

    @Test
    void prefersBalancedAccuracyOverAccuracyOnImbalancedPairs() {
        // 99 "different" at 0.1..0.5 and one "same" at 0.45: accuracy would call nothing "same".
        double[] scores = new double[100];
        int[] labels = new int[100];
        for (int i = 0; i < 99; i++) {
            scores[i] = 0.1 + 0.4 * i / 98;
        }
        scores[99] = 0.45;
        labels[99] = 1;
        Pairs pairs = Pairs.of(scores, labels);
        float threshold = ThresholdChoice.maximizingBalancedAccuracy(pairs.accumulate());
        assertEquals(1, pairs.accumulate(threshold).confusionAt(threshold).tp());
    }
}
