package simil.scoring;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.io.CheckpointException;
import simil.io.SafeTensors;

/**
 * Embeddings of images with their ids, as {@code simil embed} writes them and {@code simil search} reads them: a
 * safetensors file (so PyTorch's {@code safetensors.torch.load_file} and {@code safe_open(...).metadata()} read it)
 * holding
 * <ul>
 *   <li>{@code embeddings}: F32 [N, F], row i the embedding of image i;</li>
 *   <li>{@code labels}: I32 [N], only for the images of a dataset split: image i's class, an index into
 *       {@code classes};</li>
 * </ul>
 * and, in the header's {@code __metadata__} (strings, as the format requires): {@code format} ("simil-embeddings"),
 * {@code format_version} ("1"), {@code ids} (a JSON array of N strings: image i's path, or {@code ZIP!/entry}),
 * {@code architecture}, {@code model} (the model directory), {@code model_sha256} (of its weights file, so that a
 * search refuses embeddings of another model), {@code classes} (with labels: a JSON array of WordNet ids) and
 * {@code source} (what was embedded), beside the per-tensor checksums every safetensors file of Simil has.
 */
public final class EmbeddingsFile {
    public static final String FORMAT = "simil-embeddings", VERSION = "1", EMBEDDINGS = "embeddings", LABELS = "labels";
    private static final Gson GSON = new Gson();
    private static final TypeToken<List<String>> STRINGS = new TypeToken<>() {};

    private EmbeddingsFile() {}

    /** What a file holds. {@code labels} and {@code classes} are null unless the images are a split's. */
    public record Contents(List<String> ids, int dimension, float[] embeddings, int[] labels, List<String> classes,
                           String architecture, String model, String modelSha256, String source) {
        public int count() { return ids.size(); }
    }

    /** Writes {@code contents} atomically to {@code file}. */
    public static void write(Path file, Contents contents) throws IOException {
        int n = contents.count();
        if ((long) n * contents.dimension() != contents.embeddings().length) {
            throw new IllegalArgumentException(n + " ids for " + contents.embeddings().length + " floats of dimension " + contents.dimension());
        }
        List<SafeTensors.Entry> entries = new ArrayList<>();
        entries.add(SafeTensors.Entry.of(EMBEDDINGS, contents.embeddings(), n, contents.dimension()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", VERSION);
        metadata.put("architecture", contents.architecture());
        metadata.put("model", contents.model());
        metadata.put("model_sha256", contents.modelSha256());
        metadata.put("source", contents.source());
        if (contents.labels() != null) {
            entries.add(SafeTensors.Entry.ofInts(LABELS, contents.labels(), n));
            metadata.put("classes", GSON.toJson(contents.classes()));
        }
        metadata.put("ids", GSON.toJson(contents.ids()));
        SafeTensors.write(file, entries, metadata);
    }

    /** Reads a file {@link #write} wrote; one line naming the file when it is not one. */
    public static Contents read(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not an embeddings file of simil embed (its metadata has no format \"" + FORMAT + "\")");
        }
        if (!VERSION.equals(meta.get("format_version"))) {
            throw new CheckpointException(file + ": embeddings format version " + meta.get("format_version") + ", this build reads " + VERSION);
        }
        SafeTensors.Entry e = c.entries().get(EMBEDDINGS);
        if (e == null || e.isInt() || e.shape().length != 2) throw new CheckpointException(file + ": no F32 [N, F] tensor '" + EMBEDDINGS + "'");
        int n = e.shape()[0];
        List<String> ids = strings(file, meta, "ids");
        if (ids == null || ids.size() != n) {
            throw new CheckpointException(file + ": " + (ids == null ? "no" : ids.size()) + " ids for " + n + " embeddings");
        }
        SafeTensors.Entry labels = c.entries().get(LABELS);
        if (labels != null && (!labels.isInt() || labels.ints().length != n)) throw new CheckpointException(file + ": labels are not I32 [" + n + "]");
        return new Contents(ids, e.shape()[1], e.floats(), labels == null ? null : labels.ints(),
                labels == null ? null : strings(file, meta, "classes"), meta.get("architecture"), meta.get("model"),
                meta.get("model_sha256"), meta.get("source"));
    }

    private static List<String> strings(Path file, Map<String, String> meta, String key) {
        String json = meta.get(key);
        if (json == null) return null;
        try {
            return GSON.fromJson(json, STRINGS);
        } catch (JsonParseException e) {
            throw new CheckpointException(file + ": metadata '" + key + "' is not a JSON array of strings");
        }
    }
}
