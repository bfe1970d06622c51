package simil.training;

import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * What a run of steps produced (an epoch, or the batches of a validation), kept on the device: row i holds step i's
 * mean loss, its right predictions and how many predictions it made, written there by the step's own ops. The host copies the rows it has not read
 * yet in one copy when it needs them (to draw the progress line, at the end of the epoch), not once per step.
 */
final class StepOutcomes implements AutoCloseable {
    private static final int COLUMNS = 3;

    private final Backend backend;
    private final Tensor rows;
    private final float[] host;
    private int read;

    StepOutcomes(Backend backend, int steps) {
        this.backend = backend;
        this.rows = backend.zeros(steps, COLUMNS);
        this.host = new float[COLUMNS * steps];
    }

    int size() { return rows.dim(0); }

    /** Where step {@code i} writes: element 0 its mean loss, element 1 its right predictions, element 2 its predictions. */
    Tensor row(int i) { return rows.slice(i, i + 1).reshape(COLUMNS); }

    /** Copies rows [rows read so far, {@code upTo}) to the host: one copy, once the steps writing them have run. */
    void readUpTo(int upTo) {
        if (upTo <= read) return;
        backend.copyToHostAsync(rows.slice(read, upTo), host, COLUMNS * read);
        backend.synchronize();
        read = upTo;
    }

    /** Step {@code i}'s mean loss (a row already read). */
    float loss(int i) { return host[COLUMNS * checkRead(i)]; }

    /** Step {@code i}'s right predictions (a row already read). */
    int correct(int i) { return Math.round(host[COLUMNS * checkRead(i) + 1]); }

    /** Step {@code i}'s predictions (a row already read). */
    int count(int i) { return Math.round(host[COLUMNS * checkRead(i) + 2]); }

    private int checkRead(int i) {
        if (i < 0 || i >= read) throw new IllegalStateException("step " + i + " not read yet (" + read + " are)");
        return i;
    }

    @Override
    public void close() { rows.close(); }
}
