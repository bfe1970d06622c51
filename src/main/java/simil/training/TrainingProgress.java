package simil.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line per phase, redrawn in place: step, loss, accuracy and images per second. The losses and
 * right predictions stay on the device ({@link StepOutcomes}) until the line is due, every half second and at the
 * last step, so the host reads them a few times a second instead of after every step.
 */
final class TrainingProgress {
    private final PrintStream out;
    private final String label;
    private final StepOutcomes outcomes;
    private final int total;
    private final int[] counts;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int summed;
    private double lossSum, correct, seen;
    private long images;

    TrainingProgress(PrintStream out, String label, StepOutcomes outcomes) {
        this.out = out;
        this.label = label;
        this.outcomes = outcomes;
        this.total = outcomes.size();
        this.counts = new int[total];
    }

    /**
     * Step {@code step} (from 0) has been issued, with {@code count} predictions over {@code imagesInStep} images.
     * When the line is due, reads the outcomes of the steps since the last read and redraws; returns the first of
     * those steps whose loss is not finite, or -1.
     */
    int update(int step, int count, int imagesInStep) {
        counts[step] = count;
        images += imagesInStep;
        long now = System.nanoTime();
        if (now - lastDraw <= 500_000_000L && step + 1 != total) return -1;
        lastDraw = now;
        outcomes.readUpTo(step + 1);
        for (; summed <= step; summed++) {
            float loss = outcomes.loss(summed);
            if (!Float.isFinite(loss)) return summed;
            lossSum += (double) loss * counts[summed];
            correct += outcomes.correct(summed);
            seen += counts[summed];
        }
        int width = 30, filled = (int) ((long) width * (step + 1) / Math.max(1, total));
        out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d loss %.4f acc %.3f %.0f img/s", label, "#".repeat(filled),
                ".".repeat(width - filled), step + 1, total, meanLoss(), accuracy(), imagesPerSecond());
        out.flush();
        return -1;
    }

    void finish() {
        out.println();
    }

    double meanLoss() { return seen == 0 ? Double.NaN : lossSum / seen; }
    double accuracy() { return seen == 0 ? Double.NaN : correct / seen; }
    double imagesPerSecond() { return images / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9); }
}
