package simil.models.files;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import simil.io.AtomicFiles;

/**
 * A similarity threshold and where it came from. {@code simil eval} writes the one it chose on the validation split
 * (maximal balanced accuracy) as {@code threshold.json} into its own folder, beside {@code report.json}; a model
 * directory is never written to. {@code simil compare} decides at {@code --threshold} when given, else at the
 * threshold of the model's newest evaluation ({@code MODEL/eval-*}/threshold.json), else at the {@code threshold.json}
 * older versions wrote into the model directory, else at 0.5 — and says which. A threshold belongs to the scores it
 * was chosen for ({@code --scorer}: "metric", "posterior" or "both"; a file without a "scorer" key is the metric
 * network's): each scorer decides at the newest evaluation's of its own.
 *
 * @param file   the file it was read from; null for 0.5 or a value given on the command line
 * @param scorer the scores it is for; null for a value given on the command line, which fits any
 */
public record DecisionThreshold(float value, String source, Path file, String scorer) {
    public static final String FILE = "threshold.json";
    private static final String METRIC = "metric";
    static final DecisionThreshold HALF = new DecisionThreshold(0.5f, "default; run simil eval to choose one on the validation split", null, null);

    /** A threshold of the metric network's scores not read from a file (about to be written). */
    public DecisionThreshold(float value, String source) {
        this(value, source, METRIC);
    }

    /** A threshold for {@code scorer}'s scores not read from a file (about to be written). */
    public DecisionThreshold(float value, String source, String scorer) {
        this(value, source, null, scorer);
    }

    /** "maximizes balanced accuracy over all pairs of the validation split, from runs/x/eval-holdout-all/threshold.json". */
    public String describe() {
        return file == null ? source : source + ", from " + file;
    }

    /** The threshold {@code modelDir}'s evaluations chose for the metric network, as the class comment orders them; 0.5 when none did. */
    public static DecisionThreshold read(Path modelDir) {
        return read(modelDir, METRIC);
    }

    /** The threshold {@code modelDir}'s newest evaluation by {@code scorer} chose (older versions': the metric network's); 0.5 when none did. */
    public static DecisionThreshold read(Path modelDir, String scorer) {
        DecisionThreshold newest = newestEvaluation(modelDir, scorer);
        if (newest != null) return newest;
        Path legacy = modelDir.resolve(FILE);
        return scorer.equals(METRIC) && Files.exists(legacy) ? readFile(legacy) : HALF;
    }

    /**
     * This threshold, refused in one line when it was chosen for other scores than {@code scorer}'s (a {@code --threshold}
     * file of another evaluation); a value given on the command line or the default 0.5 fits any.
     */
    public DecisionThreshold requireScorer(String scorer) {
        if (this.scorer != null && !this.scorer.equals(scorer)) {
            throw new IllegalArgumentException("--threshold " + file + ": chosen for --scorer " + this.scorer + " scores, not " + scorer);
        }
        return this;
    }

    /**
     * {@code --threshold}: a probability in [0, 1], or a {@code threshold.json} (or an evaluation folder holding one);
     * anything else is one line naming the option.
     */
    public static DecisionThreshold given(String value) {
        Path path = Path.of(value);
        if (Files.isDirectory(path)) path = path.resolve(FILE);
        if (Files.isRegularFile(path)) return readFile(path);
        float number;
        try {
            number = Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threshold " + value + ": neither a number in [0, 1] nor a " + FILE + " or a folder holding one");
        }
        if (!(number >= 0 && number <= 1)) throw new IllegalArgumentException("--threshold " + value + ": must be in [0, 1]");
        return new DecisionThreshold(number, "given with --threshold");
    }

    /** A threshold.json, as eval writes it. */
    static DecisionThreshold readFile(Path file) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            return new DecisionThreshold(o.get("threshold").getAsFloat(), o.get("source").getAsString(), file,
                    o.has("scorer") ? o.get("scorer").getAsString() : METRIC);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable threshold (delete it or rerun simil eval)");
        }
    }

    /** The most recently written MODEL/eval-*}/threshold.json for {@code scorer}'s scores, or null. */
    private static DecisionThreshold newestEvaluation(Path modelDir, String scorer) {
        if (!Files.isDirectory(modelDir)) return null;
        try (Stream<Path> dirs = Files.list(modelDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("eval-")).map(d -> d.resolve(FILE)).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(DecisionThreshold::modified).reversed()).map(DecisionThreshold::readFile)
                    .filter(t -> t.scorer().equals(scorer)).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + modelDir + ": " + e.getMessage(), e);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@value #FILE} into {@code dir} (an evaluation's folder), atomically. */
    public void write(Path dir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("threshold", value);
        o.addProperty("source", source);
        if (scorer != null) o.addProperty("scorer", scorer);
        AtomicFiles.writeString(dir.resolve(FILE), o + "\n");
    }
}
