package simil.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import simil.io.SafeTensors.Entry;
import simil.tensor.DType;
import simil.tensor.Tensor;

/**
 * Named tensors to and from a safetensors file. Saving is atomic; loading fills existing tensors and
 * insists that names and shapes agree exactly, so a checkpoint of another model or size fails with
 * one line that says what differs instead of producing a silently broken model.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Entry> entries = new ArrayList<>();
        tensors.forEach((name, t) -> entries.add(t.dtype() == DType.INT32
                ? Entry.ofInts(name, t.backend().toIntArray(t), t.shape())
                : Entry.of(name, t.backend().toArray(t), t.shape())));
        SafeTensors.write(file, entries, metadata);
    }

    /** Loads every tensor of {@code targets} from {@code file}; returns the file's metadata. */
    public static Map<String, String> load(Path file, Map<String, Tensor> targets) {
        SafeTensors.Contents contents = SafeTensors.read(file);
        TreeSet<String> missing = new TreeSet<>(targets.keySet());
        missing.removeAll(contents.entries().keySet());
        if (!missing.isEmpty()) {
            throw new CheckpointException(file + ": missing " + missing.size() + " tensor(s), first '" + missing.first()
                    + "' (a checkpoint of another model or configuration?)");
        }
        TreeSet<String> unexpected = new TreeSet<>(contents.entries().keySet());
        unexpected.removeAll(targets.keySet());
        if (!unexpected.isEmpty()) {
            throw new CheckpointException(file + ": unexpected tensor '" + unexpected.first() + "' ("
                    + unexpected.size() + " in all; a checkpoint of another model or configuration?)");
        }
        for (Map.Entry<String, Tensor> kv : targets.entrySet()) {
            Entry e = contents.entries().get(kv.getKey());
            Tensor t = kv.getValue();
            if (!Arrays.equals(e.shape(), t.shape())) {
                throw new CheckpointException(file + ": tensor '" + kv.getKey() + "' has shape " + Arrays.toString(e.shape())
                        + ", the model expects " + Arrays.toString(t.shape()));
            }
            if (e.isInt() != (t.dtype() == DType.INT32)) {
                throw new CheckpointException(file + ": tensor '" + kv.getKey() + "' has the wrong dtype");
            }
        }
        targets.forEach((name, t) -> {
            Entry e = contents.entries().get(name);
            if (e.isInt()) t.backend().writeInts(t, e.ints()); else t.backend().write(t, e.floats());
        });
        return contents.metadata();
    }
}
