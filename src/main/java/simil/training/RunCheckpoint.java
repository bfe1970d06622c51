package simil.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import simil.io.AtomicFiles;

/**
 * A run's {@code checkpoint/}, replaced as a whole after every epoch. A new checkpoint is written completely into
 * {@code checkpoint.tmp/}, its {@value #STATE} last and atomically: that file's arrival is the commit point, at which
 * the epoch counts as done. The two renames that follow ({@code checkpoint} to {@code checkpoint.old},
 * {@code checkpoint.tmp} to {@code checkpoint}) only move it into place; {@link #recover} finishes them after a crash
 * between any two steps, keeping the newest complete checkpoint and never deleting the only one.
 */
final class RunCheckpoint {
    static final String DIR = "checkpoint", STATE = "state.json";

    /** What writes a checkpoint's files, except its state, into a folder. */
    @FunctionalInterface
    interface Contents {
        void writeInto(Path dir) throws IOException;
    }

    private final Path dir, tmp, old;
    private final Consumer<String> afterStep;

    /** {@code afterStep} hears the name of every step of a save as it completes (where a test simulates a crash). */
    RunCheckpoint(Path out, Consumer<String> afterStep) {
        this.dir = out.resolve(DIR);
        this.tmp = out.resolve(DIR + ".tmp");
        this.old = out.resolve(DIR + ".old");
        this.afterStep = afterStep;
    }

    /** The committed checkpoint. */
    Path dir() {
        return dir;
    }

    /** Whether {@code out} holds a committed checkpoint, or the complete one a crashed swap left (read-only). */
    static boolean existsIn(Path out) {
        return Files.exists(out.resolve(DIR).resolve(STATE)) || Files.exists(out.resolve(DIR + ".tmp").resolve(STATE))
                || Files.exists(out.resolve(DIR + ".old").resolve(STATE));
    }

    boolean exists() {
        return Files.exists(dir.resolve(STATE));
    }

    /**
     * Settles what an interrupted save left. A complete {@code checkpoint.tmp} is the newest checkpoint: its swap is
     * finished. Else a missing {@code checkpoint/} (a crash between the renames) is {@code checkpoint.old} put back.
     * Whatever is left of {@code .tmp} and {@code .old} then goes.
     */
    void recover() throws IOException {
        if (Files.exists(tmp.resolve(STATE))) {
            if (Files.exists(dir)) {
                deleteTree(old);
                Files.move(dir, old);
            }
            Files.move(tmp, dir);
        } else if (!Files.exists(dir) && Files.exists(old.resolve(STATE))) {
            Files.move(old, dir);
        }
        AtomicFiles.syncDirectory(dir.getParent());
        deleteTree(tmp);
        deleteTree(old);
    }

    /** Writes a new checkpoint ({@code contents}, then {@code stateJson}) and commits it. */
    void save(Contents contents, String stateJson) throws IOException {
        deleteTree(tmp);
        Files.createDirectories(tmp);
        contents.writeInto(tmp);
        AtomicFiles.writeString(tmp.resolve(STATE), stateJson);
        afterStep.accept("checkpoint.tmp complete");
        if (Files.exists(dir)) {
            Files.move(dir, old);
            afterStep.accept("checkpoint moved to checkpoint.old");
        }
        Files.move(tmp, dir);
        AtomicFiles.syncDirectory(dir.getParent());
        afterStep.accept("checkpoint.tmp committed as checkpoint");
        deleteTree(old);
        afterStep.accept("checkpoint.old removed");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
