package simil.parity;

import java.util.LinkedHashMap;
import java.util.Map;
import simil.tensor.Backend;
import simil.tensor.DType;
import simil.tensor.ScoreHistogram;
import simil.tensor.Tensor;

/**
 * What one run of a case produced, by name, copied to the host: float outputs with the tolerance they are held to,
 * integer outputs (compared exactly). A tensor made by {@link Inputs} is read with its guard elements, so writes
 * outside it show.
 */
public final class Outputs {
    /** One output: floats (with their tolerance), ints or longs. */
    sealed interface Value permits Floats, Ints, Longs {}

    record Floats(float[] values, Tolerance tolerance) implements Value {}

    record Ints(int[] values) implements Value {}

    record Longs(long[] values) implements Value {}

    private final Inputs inputs;
    private final Tolerance tolerance;
    private final Map<String, Value> values = new LinkedHashMap<>();

    Outputs(Inputs inputs, Tolerance tolerance) {
        this.inputs = inputs;
        this.tolerance = tolerance;
    }

    /** {@code t}'s elements (float32 within the case's tolerance, int32 exactly), with its guard elements. */
    public Outputs add(String name, Tensor t) {
        return add(name, t, tolerance);
    }

    /** {@code t}'s elements, float32 ones held to {@code tolerance} instead of the case's. */
    public Outputs add(String name, Tensor t, Tolerance tolerance) {
        Backend backend = inputs.backend();
        Tensor read = inputs.guarded(t);
        return put(name, read.dtype() == DType.INT32 ? new Ints(backend.toIntArray(read)) : new Floats(backend.toArray(read), tolerance));
    }

    /** Host floats the case read itself (a staging copy, an asynchronous copy), within the case's tolerance. */
    public Outputs add(String name, float[] host) {
        return put(name, new Floats(host.clone(), tolerance));
    }

    /** Host ints the case read itself, exactly. */
    public Outputs add(String name, int[] host) {
        return put(name, new Ints(host.clone()));
    }

    /** Everything a histogram counted, exactly: per-bin counts, confusion matrices, invalid pairs. */
    public Outputs add(String name, ScoreHistogram histogram) {
        ScoreHistogram.Counts counts = histogram.read();
        put(name + " same", new Longs(counts.same()));
        put(name + " different", new Longs(counts.different()));
        put(name + " confusion", new Longs(counts.confusion()));
        return put(name + " invalid", new Longs(new long[] {counts.invalid()}));
    }

    private Outputs put(String name, Value value) {
        if (values.putIfAbsent(name, value) != null) throw new IllegalArgumentException("output '" + name + "' recorded twice");
        return this;
    }

    Map<String, Value> values() { return values; }
}
