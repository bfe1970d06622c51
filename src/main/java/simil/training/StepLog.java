package simil.training;

import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import simil.io.WriteFailure;

/**
 * A run's {@value #FILE}: one JSON object per training step, appended as the host reads the step's outcome for the
 * progress line (no extra read from the device), e.g. {@code {"phase":"classifier","epoch":1,"step":37,
 * "global_step":37,"loss":4.8123,"accuracy":0.0469,"lr":1.2e-4,"images_per_second":311.5,"elapsed_seconds":15.214}}.
 * {@code lr} is the scheduled rate the step used; {@code elapsed_seconds} counts the run's wall time, resumes included;
 * {@code loss} is null for a loss that was not finite (the step that stopped the run). A checkpoint records the log's
 * length when it commits ({@link #length}), and a resume cuts the log back to it ({@link #resumeAt}), so the steps of
 * an epoch that a kill interrupted are not logged twice.
 */
final class StepLog implements Closeable {
    static final String FILE = "steps.jsonl";

    private final Path file;
    private final BufferedWriter writer;

    private StepLog(Path file) throws IOException {
        this.file = file;
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A new log in {@code out}, replacing what a start that never committed a checkpoint left there. */
    static StepLog start(Path out) throws IOException {
        Files.deleteIfExists(out.resolve(FILE));
        return new StepLog(out.resolve(FILE));
    }

    /**
     * The log of a run resumed from a checkpoint that recorded the log at {@code committedBytes} (null for a checkpoint
     * made before runs kept one: the log, if any, is continued as it is).
     */
    static StepLog resumeAt(Path out, Long committedBytes) throws IOException {
        Path file = out.resolve(FILE);
        if (committedBytes != null && Files.exists(file) && Files.size(file) > committedBytes) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(committedBytes);
            }
        }
        return new StepLog(file);
    }

    void write(String phase, int epoch, int step, long globalStep, float loss, double accuracy, float lr, double imagesPerSecond,
               double elapsedSeconds) {
        JsonObject line = new JsonObject();
        line.addProperty("phase", phase);
        line.addProperty("epoch", epoch);
        line.addProperty("step", step);
        line.addProperty("global_step", globalStep);
        line.addProperty("loss", Float.isFinite(loss) ? loss : null);
        line.addProperty("accuracy", Double.isFinite(accuracy) ? (float) accuracy : null);
        line.addProperty("lr", lr);
        line.addProperty("images_per_second", Math.round(imagesPerSecond * 10) / 10.0);
        line.addProperty("elapsed_seconds", Math.round(elapsedSeconds * 1000) / 1000.0);
        try {
            writer.write(line.toString());
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(WriteFailure.of(file.toString(), file, e, -1));
        }
    }

    /** The log's length once what is buffered is written: what a checkpoint records. */
    long length() throws IOException {
        writer.flush();
        return Files.size(file);
    }

    void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
