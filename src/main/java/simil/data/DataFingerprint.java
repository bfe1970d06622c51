package simil.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What data a run trains on, as its {@value #FILE} records it: the archive (path, size and {@link ArchiveDigest} of
 * its content), the subset ({@code --classes}, {@code --per-class}; null: all) and the split settings, whole classes held
 * out ({@code --holdout-classes}; 0 in a run made before they could be) included. A resume must
 * bring the same, and {@code simil eval} carves the run's own splits from it. A run made before the archive was
 * recorded has null there, and its archive is not compared.
 */
public record DataFingerprint(String archive, Long archiveBytes, String archiveSha256, Integer classes, Integer perClass,
                              int holdout, int validationPerClass, long splitSeed, int holdoutClasses) {
    public static final String FILE = "data.json";

    /** The fingerprint of {@code archive} (its digest read now) with these subset and split settings. */
    public static DataFingerprint of(Path archive, Integer classes, Integer perClass, int holdout, int validationPerClass, long splitSeed) {
        return of(archive, classes, perClass, holdout, validationPerClass, splitSeed, 0);
    }

    /** As above, with {@code holdoutClasses} whole classes held out of training. */
    public static DataFingerprint of(Path archive, Integer classes, Integer perClass, int holdout, int validationPerClass, long splitSeed,
                                     int holdoutClasses) {
        Path absolute = archive.toAbsolutePath().normalize();
        ArchiveDigest digest = ArchiveDigest.of(absolute);
        return new DataFingerprint(absolute.toString(), digest.bytes(), digest.sha256(), classes, perClass, holdout,
                validationPerClass, splitSeed, holdoutClasses);
    }

    /** Whether {@code run}'s archive has this one's content (true when the run did not record its archive). */
    public boolean sameArchiveAs(DataFingerprint run) {
        return run.archiveSha256() == null || (run.archiveSha256().equals(archiveSha256) && Objects.equals(run.archiveBytes(), archiveBytes));
    }

    /**
     * A setting that differs from the run's: its option, its value here and the run's. As text: "--per-class 150 (the
     * run has 100)", or for the archive "--data B.zip (the run has A.zip, another archive)".
     */
    public record Difference(String option, Object value, Object runValue) {
        @Override
        public String toString() {
            if (option.equals("--data")) {
                return option + " " + value + (value.equals(runValue) ? " (its content changed since the run began)"
                        : " (the run has " + runValue + ", another archive)");
            }
            return option + " " + (value == null ? "not given" : value) + " (the run has " + (runValue == null ? "none" : runValue) + ")";
        }
    }

    /** Each setting that differs from {@code run}'s, the archive first. */
    public List<Difference> differencesFrom(DataFingerprint run) {
        List<Difference> differences = new ArrayList<>();
        if (!sameArchiveAs(run)) differences.add(new Difference("--data", archive, run.archive()));
        compare(differences, "--classes", classes, run.classes());
        compare(differences, "--per-class", perClass, run.perClass());
        compare(differences, "--holdout", holdout, run.holdout());
        compare(differences, "--holdout-classes", holdoutClasses, run.holdoutClasses());
        compare(differences, "--val-per-class", validationPerClass, run.validationPerClass());
        compare(differences, "--split-seed", splitSeed, run.splitSeed());
        return differences;
    }

    /** These settings with {@code holdout} images per class held out (a run's -1, as it was resolved). */
    public DataFingerprint withHoldout(int holdout) {
        return new DataFingerprint(archive, archiveBytes, archiveSha256, classes, perClass, holdout, validationPerClass, splitSeed,
                holdoutClasses);
    }

    /** The subset and split settings as the options that give them: "--classes 4 --per-class 100 --holdout 10 ...". */
    public String splitOptions() {
        return (classes == null ? "" : "--classes " + classes + " ") + (perClass == null ? "" : "--per-class " + perClass + " ")
                + "--holdout " + holdout + (holdoutClasses == 0 ? "" : " --holdout-classes " + holdoutClasses)
                + " --val-per-class " + validationPerClass + " --split-seed " + splitSeed;
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(this);
    }

    public static DataFingerprint fromJson(String json) {
        return new Gson().fromJson(json, DataFingerprint.class);
    }

    /** The fingerprint recorded in model or run directory {@code dir}; null when it has none. */
    public static DataFingerprint read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return null;
        try {
            return fromJson(Files.readString(file));
        } catch (IOException | JsonParseException e) {
            throw new DataException(file + ": unreadable (" + e.getMessage() + ")", e);
        }
    }

    private static void compare(List<Difference> differences, String option, Object value, Object runValue) {
        if (!Objects.equals(value, runValue)) differences.add(new Difference(option, value, runValue));
    }
}
