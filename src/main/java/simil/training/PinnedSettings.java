package simil.training;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import simil.data.DataFingerprint;

/**
 * A settings file that pins what a run is ({@code recipe.json}, {@code data.json}): written when the run starts and
 * never again; a {@code --resume} must bring the same settings.
 *
 * @param file     its name in the run directory
 * @param what     what it holds, as the error names it ("a different recipe", "different data")
 * @param json     the current settings, as written
 * @param mismatch what differs between the saved file's text and the current settings, one phrase; null when nothing does
 */
record PinnedSettings(String file, String what, String json, Function<String, String> mismatch) {
    /** Settings of a record type, equal or not; a mismatch names the fields that differ, with the run's values. */
    static <T> PinnedSettings of(String file, String what, T current, Function<String, T> parse, Function<T, String> toJson) {
        String json = toJson.apply(current);
        return new PinnedSettings(file, what, json, saved -> {
            T run = parse.apply(saved);
            return run.equals(current) ? null : differingFields(JsonParser.parseString(json).getAsJsonObject(),
                    JsonParser.parseString(toJson.apply(run)).getAsJsonObject());
        });
    }

    /** The data a run trains on ({@value DataFingerprint#FILE}); a mismatch names the options that differ. */
    static PinnedSettings of(DataFingerprint data) {
        return new PinnedSettings(DataFingerprint.FILE, "different data", data.toJson(), saved -> {
            List<DataFingerprint.Difference> differences = data.differencesFrom(DataFingerprint.fromJson(saved));
            return differences.isEmpty() ? null : String.join(", ", differences.stream().map(Object::toString).toList());
        });
    }

    /**
     * A record of how the run started ({@value RunProvenance#FILE}): written with the pinned settings when the run
     * starts, never again, and never compared (a resume on another machine or build is allowed).
     */
    static PinnedSettings record(String file, String json) {
        return new PinnedSettings(file, "a different start record", json, saved -> null);
    }

    /** "lr 0.001 (the run has 5.0E-4), batch 64 (the run has 32)". */
    private static String differingFields(JsonObject current, JsonObject run) {
        List<String> differences = new ArrayList<>();
        for (String key : current.keySet()) {
            JsonElement now = current.get(key), then = run.get(key);
            if (!Objects.equals(now, then)) differences.add(key + " " + now + " (the run has " + (then == null ? "none" : then) + ")");
        }
        for (String key : run.keySet()) {
            if (!current.has(key)) differences.add(key + " none (the run has " + run.get(key) + ")");
        }
        return differences.isEmpty() ? "the settings differ" : String.join(", ", differences);
    }
}
