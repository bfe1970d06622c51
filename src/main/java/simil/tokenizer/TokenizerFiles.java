package simil.tokenizer;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import simil.io.Checkpoint;
import simil.io.CheckpointException;
import simil.io.ModelDirectory;
import simil.tensor.Backend;

/**
 * A tokenizer directory, laid out like a model's: {@code model.safetensors} and {@code config.json}
 * ({@code kind}, {@code vocabulary} and the kind's shapes), both written atomically, the config last.
 */
public final class TokenizerFiles {
    private TokenizerFiles() {}

    public static void save(Tokenizer tokenizer, Path dir) throws IOException {
        JsonObject config = new JsonObject();
        config.addProperty("kind", tokenizer.kind());
        config.addProperty("vocabulary", tokenizer.vocabulary());
        config.addProperty("patch", PatchGrid.PATCH);
        tokenizer.config().entrySet().forEach(e -> config.add(e.getKey(), e.getValue()));
        ModelDirectory.write(dir, tokenizer.stateTensors(), Map.of("kind", tokenizer.kind()), config);
    }

    public static Tokenizer load(Backend backend, Path dir) {
        JsonObject config = ModelDirectory.readConfig(dir);
        String kind = config.has("kind") ? config.get("kind").getAsString() : "?";
        Tokenizer tokenizer;
        try {
            int vocabulary = config.get("vocabulary").getAsInt();
            tokenizer = switch (kind) {
                case "kmeans" -> new KMeansTokenizer(backend, vocabulary);
                case "vqvae" -> new VqVae(backend, VqVae.configFrom(config, vocabulary));
                default -> throw new CheckpointException(dir + " is not a tokenizer (kind '" + kind + "'; expected kmeans or vqvae)");
            };
        } catch (NullPointerException | IllegalStateException | UnsupportedOperationException e) {
            throw new CheckpointException("incomplete " + kind + " tokenizer config in " + dir.resolve(ModelDirectory.CONFIG));
        }
        Checkpoint.load(dir.resolve(ModelDirectory.WEIGHTS), tokenizer.stateTensors());
        return tokenizer;
    }
}
