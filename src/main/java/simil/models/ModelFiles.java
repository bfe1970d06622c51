package simil.models;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import simil.data.Normalization;
import simil.io.AtomicFiles;
import simil.io.Checkpoint;
import simil.io.CheckpointException;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;

/**
 * A model directory: {@code model.safetensors} (weights and buffers) and {@code config.json} (what to
 * build). Both are written atomically; the config is written last, so a directory with a config always
 * has complete weights beside it.
 */
public final class ModelFiles {
    private ModelFiles() {}

    public static final String WEIGHTS = "model.safetensors";
    public static final String CONFIG = "config.json";
    public static final String NORMALIZATION = "normalization.json";

    public static void save(PairModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        Checkpoint.save(dir.resolve(WEIGHTS), model.stateTensors(), Map.of("architecture", model.architecture()));
        AtomicFiles.writeString(dir.resolve(CONFIG), new GsonBuilder().setPrettyPrinting().create().toJson(model.config()));
    }

    /** Builds the model that {@code dir}'s config describes and loads its weights. */
    public static PairModel load(Backend backend, Path dir) {
        PairModel model = build(backend, readConfig(dir));
        Checkpoint.load(dir.resolve(WEIGHTS), model.stateTensors());
        return model;
    }

    /** The pixel normalization the model was trained with (none when the directory does not say). */
    public static Normalization readNormalization(Path dir) {
        Path file = dir.resolve(NORMALIZATION);
        if (!Files.exists(file)) return Normalization.NONE;
        try {
            return new Gson().fromJson(Files.readString(file), Normalization.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + ": unreadable normalization (" + e.getMessage() + ")");
        }
    }

    public static void writeNormalization(Path dir, Normalization normalization) throws IOException {
        AtomicFiles.writeString(dir.resolve(NORMALIZATION), new Gson().toJson(normalization));
    }

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

    public static PairModel build(Backend backend, JsonObject config) {
        String architecture = config.has("architecture") ? config.get("architecture").getAsString() : "?";
        try {
            return switch (architecture) {
                case "matchnet" -> new MatchNet(backend, MatchNetConfig.fromJson(config));
                case BeitConfig.ARCHITECTURE -> new Beit(backend, BeitConfig.fromJson(config));
                default -> throw new CheckpointException("unknown architecture '" + architecture + "' in " + CONFIG);
            };
        } catch (NullPointerException | IllegalStateException | UnsupportedOperationException e) {
            throw new CheckpointException("incomplete " + architecture + " config in " + CONFIG);
        }
    }

    /** Parser messages can run over several lines; errors are one. */
    private static String firstLine(String message) {
        return message == null ? "malformed" : message.lines().findFirst().orElse("malformed");
    }
}
