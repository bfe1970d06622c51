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
 * older versions wrote into the model directory, else at 0.5 — and says which.
 *
 * @param file the file it was read from; null for 0.5 or a value given on the command line
 */
public record DecisionThreshold(float value, String source, Path file) {
    public static final String FILE = "threshold.json";
    static final DecisionThreshold HALF = new DecisionThreshold(0.5f, "default; run simil eval to choose one on the validation split", null);

    /** A threshold not read from a file (about to be written, or given as a value). */
    public DecisionThreshold(float value, String source) {
        this(value, source, null);
    }

    /** "maximizes balanced accuracy over all pairs of the validation split, from runs/x/eval-holdout-all/threshold.json". */
    public String describe() {
        return file == null ? source : source + ", from " + file;
    }

    /** The threshold {@code modelDir}'s evaluations chose, as the class comment orders them; 0.5 when there is none. */
    public static DecisionThreshold read(Path modelDir) {
        Path newest = newestEvaluation(modelDir);
        if (newest != null) return readFile(newest);
        Path legacy = modelDir.resolve(FILE);
        return Files.exists(legacy) ? readFile(legacy) : HALF;
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
            return new DecisionThreshold(o.get("threshold").getAsFloat(), o.get("source").getAsString(), file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable threshold (delete it or rerun simil eval)");
        }
    }

    /** The most recently written MODEL/eval-*}/threshold.json, or null. */
    private static Path newestEvaluation(Path modelDir) {
        if (!Files.isDirectory(modelDir)) return null;
        try (Stream<Path> dirs = Files.list(modelDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("eval-")).map(d -> d.resolve(FILE)).filter(Files::isRegularFile)
                    .max(Comparator.comparing(DecisionThreshold::modified)).orElse(null);
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
        AtomicFiles.writeString(dir.resolve(FILE), o + "\n");
    }
}
