package simil.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line per epoch: step, loss, accuracy, images per second, time elapsed and the epoch's ETA. On a
 * terminal it is redrawn in place every half second; elsewhere (a log file, a pipe) it is a plain line every
 * {@value #PLAIN_INTERVAL_SECONDS} seconds, so a redirected log holds whole lines only. The losses, right
 * predictions and prediction counts stay on the device ({@link StepOutcomes}) until the line is due and at the last step, so the host
 * reads them a few times a second at most; each step read is then passed to the {@link Listener} (steps.jsonl).
 */
final class TrainingProgress {
    static final int PLAIN_INTERVAL_SECONDS = 10;
    private static final long REDRAW_NANOS = 500_000_000L;

    /** Hears every step once its outcome has been read: nothing is read for it. */
    interface Listener {
        /**
         * Step {@code step} (from 0) of the epoch: its mean loss, right predictions out of {@code count}, seconds since
         * the epoch began when it was issued, and the epoch's images per second until then.
         */
        void stepRead(int step, float loss, int correct, int count, double seconds, double imagesPerSecond);

        Listener NONE = (step, loss, correct, count, seconds, imagesPerSecond) -> {};
    }

    private final PrintStream out;
    private final String label;
    private final StepOutcomes outcomes;
    private final boolean redraw;
    private final Listener listener;
    private final int total;
    private final long[] issuedNanos;
    private final long[] imagesIssued;
    private final long startNanos = System.nanoTime();
    private final long intervalNanos;
    private long lastDraw;
    private int summed;
    private double lossSum, correct, seen;
    private long images;

    /** A bar that redraws (on a terminal) and hears nothing per step. */
    TrainingProgress(PrintStream out, String label, StepOutcomes outcomes) {
        this(out, label, outcomes, true, Listener.NONE);
    }

    /** {@code redraw}: the line is redrawn in place with '\r' (a terminal), else written as plain lines. */
    TrainingProgress(PrintStream out, String label, StepOutcomes outcomes, boolean redraw, Listener listener) {
        this.out = out;
        this.label = label;
        this.outcomes = outcomes;
        this.redraw = redraw;
        this.listener = listener;
        this.total = outcomes.size();
        this.issuedNanos = new long[total];
        this.imagesIssued = new long[total];
        this.intervalNanos = redraw ? REDRAW_NANOS : PLAIN_INTERVAL_SECONDS * 1_000_000_000L;
        this.lastDraw = startNanos - intervalNanos;
    }

    /**
     * Step {@code step} (from 0) has been issued, over {@code imagesInStep} images.
     * When the line is due, reads the outcomes of the steps since the last read and draws it; returns the first of
     * those steps whose loss is not finite, or -1.
     */
    int update(int step, int imagesInStep) {
        long now = System.nanoTime();
        images += imagesInStep;
        issuedNanos[step] = now;
        imagesIssued[step] = images;
        if (now - lastDraw < intervalNanos && step + 1 != total) return -1;
        lastDraw = now;
        outcomes.readUpTo(step + 1);
        for (; summed <= step; summed++) {
            float loss = outcomes.loss(summed);
            int count = outcomes.count(summed);
            double seconds = (issuedNanos[summed] - startNanos) / 1e9;
            listener.stepRead(summed, loss, outcomes.correct(summed), count, seconds,
                    imagesIssued[summed] / Math.max(1e-9, seconds));
            if (!Float.isFinite(loss)) return summed;
            lossSum += (double) loss * count;
            correct += outcomes.correct(summed);
            seen += count;
        }
        double elapsed = (now - startNanos) / 1e9;
        double eta = elapsed / (step + 1) * (total - step - 1);
        int width = 30, filled = (int) ((long) width * (step + 1) / Math.max(1, total));
        out.printf(Locale.ROOT, "%s%s [%s%s] %d/%d loss %.4f acc %.3f %.0f img/s %s elapsed, ETA %s%s", redraw ? "\r" : "", label,
                "#".repeat(filled), ".".repeat(width - filled), step + 1, total, meanLoss(), accuracy(), imagesPerSecond(),
                clock(elapsed), clock(eta), redraw ? "" : "\n");
        out.flush();
        return -1;
    }

    /** Ends the redrawn line (plain lines are ended already). */
    void finish() {
        if (redraw) out.println();
    }

    double meanLoss() { return seen == 0 ? Double.NaN : lossSum / seen; }
    double accuracy() { return seen == 0 ? Double.NaN : correct / seen; }
    double imagesPerSecond() { return images / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9); }

    /** 0:07, 12:34, 1:02:03. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
