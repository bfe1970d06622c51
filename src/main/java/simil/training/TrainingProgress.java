package simil.training;

import java.io.PrintStream;
import java.util.Locale;

/** One progress line per phase, redrawn in place: step, loss, accuracy and images per second. */
final class TrainingProgress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private double lossSum, correct, seen;
    private long images;

    TrainingProgress(PrintStream out, String label, long totalSteps) {
        this.out = out;
        this.label = label;
        this.total = totalSteps;
    }

    void update(long step, double loss, int correctInBatch, int batch, int imagesInBatch) {
        lossSum += loss * batch;
        correct += correctInBatch;
        seen += batch;
        images += imagesInBatch;
        long now = System.nanoTime();
        if (now - lastDraw > 500_000_000L || step == total) {
            lastDraw = now;
            int width = 30, filled = (int) (width * step / Math.max(1, total));
            out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d loss %.4f acc %.3f %.0f img/s", label, "#".repeat(filled),
                    ".".repeat(width - filled), step, total, meanLoss(), accuracy(), imagesPerSecond());
            out.flush();
        }
    }

    void finish() {
        out.println();
    }

    double meanLoss() { return seen == 0 ? Double.NaN : lossSum / seen; }
    double accuracy() { return seen == 0 ? Double.NaN : correct / seen; }
    double imagesPerSecond() { return images / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9); }
    double seconds() { return (System.nanoTime() - startNanos) / 1e9; }
}
