package simil.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import simil.tensor.Tensor;

/**
 * The layout every model-like directory shares (a pair model, a pre-training checkpoint, a tokenizer):
 * {@code model.safetensors} beside {@code config.json}, both written atomically, the config last, so a
 * directory with a config always has complete weights beside it. Knows no architecture: whoever builds
 * a model reads the config and fills the tensors.
 */
public final class ModelDirectory {
    private ModelDirectory() {}

    public static final String WEIGHTS = "model.safetensors";
    public static final String CONFIG = "config.json";
    public static final String NORMALIZATION = "normalization.json";

    /** Writes {@code tensors} (with {@code metadata} in the safetensors header), then {@code config}. */
    public static void write(Path dir, Map<String, Tensor> tensors, Map<String, String> metadata, JsonElement config)
            throws IOException {
        Files.createDirectories(dir);
        Checkpoint.save(dir.resolve(WEIGHTS), tensors, metadata);
        AtomicFiles.writeString(dir.resolve(CONFIG), new GsonBuilder().setPrettyPrinting().create().toJson(config));
    }

    /** The directory's config.json; a missing or unreadable one is a one-line {@link CheckpointException}. */
    public static JsonObject readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(dir + " is not a model directory (no " + CONFIG + ")");
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + ": unreadable model config (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Parser messages can run over several lines; errors are one. */
    private static String firstLine(String message) {
        return message == null ? "malformed" : message.lines().findFirst().orElse("malformed");
    }
}
