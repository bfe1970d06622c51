package simil.io;

import java.io.PrintStream;

/**
 * A one-line text progress bar: on a terminal redrawn in place at most once per percent; elsewhere (a log file, a
 * pipe) a plain line every ten percent, so a redirected log holds whole lines only. Decoding, downloading and embedding
 * show one.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final String unit;
    private final double unitSize;
    private final boolean redraw;
    private final long startNanos = System.nanoTime();
    private long total;
    private long lastStep = -1;

    /**
     * A bar for {@code total} things, shown in {@code unit}s of {@code unitSize} (one decimal; whole numbers for a
     * {@code unitSize} of 1); {@code total <= 0} means unknown.
     */
    public ProgressBar(PrintStream out, String label, long total, String unit, double unitSize) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.unitSize = unitSize;
        this.redraw = Terminal.redraws(out);
    }

    public void total(long total) {
        this.total = total;
    }

    public synchronized void update(long done) {
        // A step per percent, or per unit when the total is unknown; a plain line only every tenth of them.
        long step = total > 0 ? Math.min(100, done * 100 / total) : (long) (done / unitSize);
        if (!redraw) step -= step % 10;
        if (step == lastStep) return;
        lastStep = step;
        String number = unitSize == 1 ? "%.0f" : "%.1f";
        String amount = total > 0 ? String.format(number + "/" + number + " %s", done / unitSize, total / unitSize, unit)
                : String.format(number + " %s", done / unitSize, unit);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        String time = total > 0 && done > 0
                ? String.format(", %.0f s elapsed, ETA %.0f s", elapsed, elapsed * (total - done) / done)
                : String.format(", %.0f s elapsed", elapsed);
        String start = redraw ? "\r" : "", end = redraw ? "" : "\n";
        if (total > 0) {
            int filled = (int) (step * WIDTH / 100);
            out.printf("%s%s [%s%s] %3d%% %s%s%s", start, label, "=".repeat(filled), " ".repeat(WIDTH - filled), step, amount, time, end);
        } else {
            out.printf("%s%s %s%s%s", start, label, amount, time, end);
        }
        out.flush();
    }

    /** Ends the redrawn line (plain lines are ended already). */
    public void finish() {
        if (redraw) out.println();
    }
}
