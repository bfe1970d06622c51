package simil.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import simil.tensor.DType;
import simil.tensor.Tensor;

/**
 * Copies of a model's state tensors, written back by {@link #restore()}: a speed probe trains the run's own
 * model for a few steps (weights, batch-norm running statistics) and must leave it bit for bit as it was.
 */
final class StateSnapshot {
    private record Copy(Tensor tensor, float[] floats, int[] ints) {}

    private final List<Copy> copies = new ArrayList<>();

    StateSnapshot(Map<String, Tensor> state) {
        for (Tensor t : state.values()) {
            boolean ints = t.dtype() == DType.INT32;
            copies.add(new Copy(t, ints ? null : t.backend().toArray(t), ints ? t.backend().toIntArray(t) : null));
        }
    }

    void restore() {
        for (Copy c : copies) {
            if (c.ints() != null) c.tensor().backend().writeInts(c.tensor(), c.ints());
            else c.tensor().backend().write(c.tensor(), c.floats());
        }
    }
}
