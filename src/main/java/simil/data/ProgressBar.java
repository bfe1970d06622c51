package simil.data;

import java.io.PrintStream;

/** A one-line text progress bar redrawn in place, at most once per percent. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final String unit;
    private final double unitSize;
    private long total;
    private long lastStep = -1;

    /** A bar for {@code total} things, shown in {@code unit}s of {@code unitSize}; {@code total <= 0} means unknown. */
    ProgressBar(PrintStream out, String label, long total, String unit, double unitSize) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.unitSize = unitSize;
    }

    void total(long total) {
        this.total = total;
    }

    synchronized void update(long done) {
        // Redraw once per percent, or once per unit when the total is unknown.
        long step = total > 0 ? Math.min(100, done * 100 / total) : (long) (done / unitSize);
        if (step == lastStep) return;
        lastStep = step;
        String amount = total > 0 ? String.format("%.1f/%.1f %s", done / unitSize, total / unitSize, unit)
                : String.format("%.1f %s", done / unitSize, unit);
        if (total > 0) {
            int filled = (int) (step * WIDTH / 100);
            out.printf("\r%s [%s%s] %3d%% %s", label, "=".repeat(filled), " ".repeat(WIDTH - filled), step, amount);
        } else {
            out.printf("\r%s %s", label, amount);
        }
        out.flush();
    }

    void finish() {
        out.println();
    }
}
