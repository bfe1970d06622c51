package simil.layers;

import java.util.List;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** int32 ids [...] → rows of a learned table [..., D]. The ids get no gradient; backward returns null. */
public final class Embedding implements Layer {
    private final Backend backend;
    private final int dim;
    private final Parameter table;
    private Tensor ids, y;

    public Embedding(Backend backend, String name, int count, int dim) {
        this.backend = backend;
        this.dim = dim;
        this.table = new Parameter(backend, name + ".weight", true, count, dim);
    }

    /** PyTorch's nn.Embedding default: N(0, 1). */
    public Embedding init(long seed) {
        backend.random().normal(table.value(), 0f, 1f, seed);
        return this;
    }

    public Parameter table() { return table; }

    @Override
    public Tensor forward(Tensor ids, boolean training) {
        this.ids = ids;
        int[] shape = java.util.Arrays.copyOf(ids.shape(), ids.rank() + 1);
        shape[ids.rank()] = dim;
        y = Buffers.reuse(backend, y, shape);
        backend.attention().embeddingForward(table.value(), ids, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        backend.attention().embeddingBackward(ids, dy, table.grad());
        return null;
    }

    @Override
    public List<Parameter> parameters() { return List.of(table); }
}
