package simil.models.files;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import simil.data.Normalization;
import simil.io.AtomicFiles;
import simil.io.Checkpoint;
import simil.io.CheckpointException;
import simil.io.FileDigest;
import simil.io.ModelDirectory;
import simil.io.SafeTensors;
import simil.models.ClassifierHead;
import simil.models.PairModel;
import simil.models.beit.Beit;
import simil.models.beit.BeitConfig;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;

/**
 * Pair models in model directories ({@link ModelDirectory}), whatever their architecture: the one place
 * that knows every architecture, so it sits above the packages of the models it builds.
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** The classifier head's file beside the weights: kept apart so that whatever reads {@code model.safetensors} reads it as before. */
    public static final String HEAD = "classifier.safetensors";

    public static void save(PairModel model, Path dir) throws IOException {
        save(model, null, dir);
    }

    /**
     * Writes {@code model}'s directory with {@code head} (null: none) in {@value #HEAD}, before the weights and the
     * config; without a head, a head file left in {@code dir} is removed, since it belongs to other weights.
     */
    public static void save(PairModel model, ClassifierHead head, Path dir) throws IOException {
        Files.createDirectories(dir);
        if (head != null) {
            Checkpoint.save(dir.resolve(HEAD), head.stateTensors(), Map.of("classes", Integer.toString(head.classes())));
        } else {
            Files.deleteIfExists(dir.resolve(HEAD));
        }
        ModelDirectory.write(dir, model.stateTensors(), Map.of("architecture", model.architecture()), model.config());
    }

    /**
     * The classifier head saved beside {@code model}'s weights in {@code dir}; a directory without one is a one-line
     * {@link CheckpointException} that says why it matters ({@code purpose}) and how models get one.
     */
    public static ClassifierHead loadHead(PairModel model, Path dir, String purpose) {
        Path file = dir.resolve(HEAD);
        if (!Files.exists(file)) {
            throw new CheckpointException(dir + " has no classifier head (" + HEAD + "), which " + purpose
                    + " (a run saves one when its recipe trains the tower as a classifier, as default and quick do; older runs have none)");
        }
        SafeTensors.Entry weight = SafeTensors.read(file).entries().get(ClassifierHead.NAME + ".weight");
        if (weight == null) throw new CheckpointException(file + ": no tensor '" + ClassifierHead.NAME + ".weight'");
        if (weight.shape().length != 2 || weight.shape()[1] != model.embeddingSize()) {
            throw new CheckpointException(file + ": classifier weight of shape " + java.util.Arrays.toString(weight.shape())
                    + ", the model's embedding has " + model.embeddingSize() + " features");
        }
        ClassifierHead head = new ClassifierHead(model.backend(), model.embeddingSize(), weight.shape()[0], 0);
        Checkpoint.load(file, head.stateTensors());
        return head;
    }

    /** Builds the model that {@code dir}'s config describes and loads its weights. */
    public static PairModel load(Backend backend, Path dir) {
        PairModel model = build(backend, ModelDirectory.readConfig(dir));
        Checkpoint.load(dir.resolve(ModelDirectory.WEIGHTS), model.stateTensors());
        return model;
    }

    /**
     * The SHA-256 of {@code dir}'s weights file, hex: what an embeddings file records of the model that made it, so
     * that a search with another model's embeddings is refused.
     */
    public static String weightsSha256(Path dir) {
        Path file = dir.resolve(ModelDirectory.WEIGHTS);
        try {
            return FileDigest.sha256(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The pixel normalization the model was trained with (none when the directory does not say). */
    public static Normalization readNormalization(Path dir) {
        Path file = dir.resolve(ModelDirectory.NORMALIZATION);
        if (!Files.exists(file)) return Normalization.NONE;
        try {
            return new Gson().fromJson(Files.readString(file), Normalization.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file + ": unreadable normalization (" + e.getMessage() + ")");
        }
    }

    public static void writeNormalization(Path dir, Normalization normalization) throws IOException {
        AtomicFiles.writeString(dir.resolve(ModelDirectory.NORMALIZATION), new Gson().toJson(normalization));
    }

    public static PairModel build(Backend backend, JsonObject config) {
        String architecture = config.has("architecture") ? config.get("architecture").getAsString() : "?";
        try {
            return switch (architecture) {
                case "matchnet" -> new MatchNet(backend, MatchNetConfig.fromJson(config));
                case BeitConfig.ARCHITECTURE -> new Beit(backend, BeitConfig.fromJson(config));
                default -> throw new CheckpointException("unknown architecture '" + architecture + "' in " + ModelDirectory.CONFIG);
            };
        } catch (NullPointerException | IllegalStateException | UnsupportedOperationException e) {
            throw new CheckpointException("incomplete " + architecture + " config in " + ModelDirectory.CONFIG);
        }
    }
}
