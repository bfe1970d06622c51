package simil.training;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import simil.data.DataFingerprint;
import simil.data.ImageStore;
import simil.data.Splits;
import simil.io.BuildVersion;
import simil.io.FileDigest;
import simil.tensor.Device;

/**
 * A run's {@value #FILE}: what made it, for whoever reads the run later. The Simil version of the build, the JDK and
 * operating system, the device ({@link Device#details}: processor, instruction set, OpenBLAS version and build, threads),
 * the data as {@code data.json} records it ({@link DataFingerprint}: the archive's path, size and SHA-256 of its
 * listing), the splits as they were resolved (sizes, where the holdout came from, the classes), the full settings and
 * the command line. Written once, with the pinned settings, when a run starts (after its checks: a refused command
 * writes nothing); a resume leaves it as it was. A fitted tokenizer records the same ({@link #onData}); an imported model
 * the same start and, instead of data, the files it was imported from ({@link #ofImport}).
 */
public final class RunProvenance {
    public static final String FILE = "provenance.json";

    private RunProvenance() {}

    /**
     * The provenance of a run of {@code settingsJson} (under {@code settingsKey}: "recipe", "pretrain") on {@code data},
     * split as {@code splits} of {@code store}, computing on {@code device}; {@code commandLine} empty when the run was
     * not started from one (the Java API, a test).
     */
    static PinnedSettings of(List<String> commandLine, Device device, DataFingerprint data, ImageStore store, Splits splits,
                             String settingsKey, String settingsJson) {
        return PinnedSettings.record(FILE, onData(commandLine, device, data, store, splits, settingsKey, settingsJson));
    }

    /**
     * The text of {@value #FILE} for a command that fits {@code settingsJson} (under {@code settingsKey}) on {@code data}
     * split as {@code splits} of {@code store}: a run's, or a tokenizer's ({@code simil tokenizer train}, which writes
     * it itself).
     */
    public static String onData(List<String> commandLine, Device device, DataFingerprint data, ImageStore store, Splits splits,
                                String settingsKey, String settingsJson) {
        JsonObject o = start(commandLine, device);
        JsonObject archive = JsonParser.parseString(data.toJson()).getAsJsonObject();
        archive.addProperty("archiveSha256Of", "the archive's listing: a zip's central directory (every entry's name, CRC-32 and "
                + "size), a folder's file paths and sizes");
        o.add("data", archive);
        o.add("splits", splits(store, splits));
        o.add(settingsKey, JsonParser.parseString(settingsJson));
        return text(o);
    }

    /**
     * The text of {@value #FILE} for a model imported from {@code files} ({@code simil import-hf}: each named by its
     * role, "weights", "config", ...; a null file is recorded as null) with {@code settingsJson} (under "import"): each
     * file's absolute path, size and SHA-256 (of the whole file, as {@code sha256sum} gives it).
     */
    public static String ofImport(List<String> commandLine, Device device, Map<String, Path> files, String settingsJson) throws IOException {
        JsonObject o = start(commandLine, device);
        JsonObject imported = new JsonObject();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            if (f.getValue() == null) {
                imported.add(f.getKey(), null);
                continue;
            }
            JsonObject file = new JsonObject();
            file.addProperty("path", f.getValue().toAbsolutePath().normalize().toString());
            file.addProperty("bytes", Files.size(f.getValue()));
            file.addProperty("sha256", FileDigest.sha256(f.getValue()));
            imported.add(f.getKey(), file);
        }
        o.add("imported", imported);
        o.add("import", JsonParser.parseString(settingsJson));
        return text(o);
    }

    /** What every record starts with: the build, the command line, the time, the JDK, the operating system, the device. */
    private static JsonObject start(List<String> commandLine, Device device) {
        JsonObject o = new JsonObject();
        o.addProperty("simil_version", BuildVersion.get());
        if (commandLine.isEmpty()) {
            o.add("command_line", null);
        } else {
            JsonArray args = new JsonArray();
            commandLine.forEach(args::add);
            o.add("command_line", args);
        }
        o.addProperty("started", Instant.now().toString());
        JsonObject java = new JsonObject();
        java.addProperty("version", System.getProperty("java.runtime.version"));
        java.addProperty("vendor", System.getProperty("java.vendor"));
        java.addProperty("vm", System.getProperty("java.vm.name"));
        o.add("java", java);
        o.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        JsonObject dev = new JsonObject();
        dev.addProperty("name", device.name());
        dev.addProperty("description", device.description());
        device.details().forEach(dev::addProperty);
        o.add("device", dev);
        return o;
    }

    private static String text(JsonObject o) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /**
     * Whether the run in {@code dir} used its archive's official val/ as the holdout: true or false as its
     * {@value #FILE} records, null for a run made before runs recorded it.
     */
    public static Boolean holdoutWasOfficialVal(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return null;
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonObject("splits")
                    .get("holdout_is_official_val").getAsBoolean();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": unreadable (" + e.getMessage() + ")");
        }
    }

    /** The splits as resolved: sizes, where each came from, the seed and the classes (their wnids, in label order). */
    private static JsonObject splits(ImageStore store, Splits splits) {
        JsonObject s = new JsonObject();
        for (var split : List.of(splits.train(), splits.validation(), splits.holdout())) {
            JsonObject one = new JsonObject();
            one.addProperty("images", split.size());
            one.addProperty("source", splits.sourceOf(split));
            s.add(split.name(), one);
        }
        s.addProperty("holdout_is_official_val", splits.holdoutSource().equals(Splits.OFFICIAL_VAL));
        s.addProperty("split_seed", splits.seed());
        s.addProperty("classes", store.classCount());
        JsonArray wnids = new JsonArray();
        for (int c = 0; c < store.classCount(); c++) wnids.add(store.wnid(c));
        s.add("class_wnids", wnids);
        return s;
    }
}
