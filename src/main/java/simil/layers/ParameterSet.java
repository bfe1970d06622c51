package simil.layers;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A model's parameters packed, in order, into one value block, one gradient block and one weight-decay mask (1 on
 * the elements of decayed parameters, 0 elsewhere), each parameter a view of its range of the blocks, as llm.c keeps
 * its parameters: zero-grad, an optimizer step and the gradient norm are then one op over a block instead of one
 * per parameter. A phase that trains part of a model (the metric network alone) works on a contiguous run of
 * the set ({@link ParameterRange}); the parameter names, shapes and checkpoints are those of the parameters.
 */
public final class ParameterSet {
    private final List<Parameter> parameters;
    private final int[] offsets;
    private final Tensor values, grads, decayMask;

    private ParameterSet(List<Parameter> parameters, int[] offsets, Tensor values, Tensor grads, Tensor decayMask) {
        this.parameters = parameters;
        this.offsets = offsets;
        this.values = values;
        this.grads = grads;
        this.decayMask = decayMask;
    }

    /**
     * Packs parameters that are in no set yet: allocates the blocks on their backend, copies each value and
     * gradient in, and makes the parameters views of them (their own storage is closed).
     */
    public static ParameterSet pack(List<Parameter> parameters) {
        if (parameters.isEmpty()) throw new IllegalArgumentException("no parameters to pack");
        Backend backend = parameters.get(0).value().backend();
        int[] offsets = new int[parameters.size() + 1];
        long total = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (p.set() != null) throw new IllegalArgumentException(p + " is already packed");
            if (p.value().backend() != backend) throw new IllegalArgumentException(p + " lives on another backend than " + backend);
            offsets[i] = (int) total;
            total += p.size();
            if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 parameters in one set");
        }
        offsets[parameters.size()] = (int) total;
        ParameterSet set = new ParameterSet(List.copyOf(parameters), offsets, backend.zeros((int) total),
                backend.zeros((int) total), backend.zeros((int) total));
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor value = set.values.slice(offsets[i], offsets[i + 1]).reshape(p.shape());
            Tensor grad = set.grads.slice(offsets[i], offsets[i + 1]).reshape(p.shape());
            backend.tensors().copy(p.value(), value);
            backend.tensors().copy(p.grad(), grad);
            if (p.decayed()) backend.tensors().fill(set.decayMask.slice(offsets[i], offsets[i + 1]), 1f);
            p.moveInto(set, i, value, grad);
        }
        return set;
    }

    /**
     * The contiguous runs of sets that hold {@code parameters}, in their order: one range when they are a whole set
     * or a run of one. Parameters in no set are first packed together into a new one.
     */
    public static List<ParameterRange> ranges(List<Parameter> parameters) {
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        List<Parameter> loose = new ArrayList<>();
        for (Parameter p : parameters) {
            if (seen.put(p, Boolean.TRUE) != null) throw new IllegalArgumentException(p + " listed twice");
            if (p.set() == null) loose.add(p);
        }
        if (!loose.isEmpty()) pack(loose);
        List<ParameterRange> ranges = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= parameters.size(); i++) {
            Parameter first = parameters.get(start);
            boolean continues = i < parameters.size() && parameters.get(i).set() == first.set()
                    && parameters.get(i).index() == first.index() + (i - start);
            if (continues) continue;
            ranges.add(first.set().range(first.index(), first.index() + (i - start)));
            start = i;
        }
        return ranges;
    }

    /** Parameters [from, to) and their views of each block. */
    ParameterRange range(int from, int to) {
        int a = offsets[from], b = offsets[to];
        return new ParameterRange(parameters.subList(from, to), values.slice(a, b), grads.slice(a, b), decayMask.slice(a, b));
    }
}
