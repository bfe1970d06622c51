package simil.models.files;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import simil.io.AtomicFiles;

/**
 * The similarity threshold a model directory records in {@code threshold.json}: {@code simil eval}
 * writes the one it chose on the validation split (maximal balanced accuracy); {@code simil compare}
 * decides at it, and at 0.5 when the model has not been evaluated yet.
 */
public record DecisionThreshold(float value, String source) {
    public static final String FILE = "threshold.json";
    static final DecisionThreshold HALF = new DecisionThreshold(0.5f, "default; run simil eval to choose one on the validation split");

    public static DecisionThreshold read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) return HALF;
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            return new DecisionThreshold(o.get("threshold").getAsFloat(), o.get("source").getAsString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable threshold (delete it or rerun simil eval)");
        }
    }

    public void write(Path modelDir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("threshold", value);
        o.addProperty("source", source);
        AtomicFiles.writeString(modelDir.resolve(FILE), o + "\n");
    }
}
