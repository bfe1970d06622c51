package simil.models;

import java.util.ArrayList;
import java.util.List;
import simil.layers.Dropout;
import simil.layers.Linear;
import simil.layers.Parameter;
import simil.layers.Relu;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * MatchNet's metric network: FC(2F→H) → ReLU → Dropout → FC(H→H) → ReLU → Dropout → FC(H→1), over the
 * concatenated pair of embeddings [a ; b]. The logit is the similarity score before the sigmoid.
 * The first layer is exposed split (W = [W_a | W_b]) so the all-pairs evaluator can precompute each
 * image's half once instead of concatenating every pair.
 *
 * <p>A {@code symmetric} network scores a pair, outside training, by the mean of its logits in both orders,
 * (f(a, b) + f(b, a)) / 2, so that "is a like b" and "is b like a" get one answer. Training sees one
 * order per pair (pairs come in random order), as in the reference.
 */
public final class MetricNetwork {
    private final Backend backend;
    private final int embedding, hidden;
    private final boolean symmetric;
    private final Linear fc1, fc2, fc3;
    private final Relu relu1, relu2;
    private final Dropout drop1, drop2;
    private Tensor pair, dA, dB, firstOrder;

    public MetricNetwork(Backend backend, String name, int embedding, int hidden, float dropout, long seed) {
        this(backend, name, embedding, hidden, dropout, false, seed);
    }

    public MetricNetwork(Backend backend, String name, int embedding, int hidden, float dropout, boolean symmetric,
                         long seed) {
        this.backend = backend;
        this.symmetric = symmetric;
        this.embedding = embedding;
        this.hidden = hidden;
        fc1 = new Linear(backend, name + ".fc1", 2 * embedding, hidden, true).init(seed + 1);
        fc2 = new Linear(backend, name + ".fc2", hidden, hidden, true).init(seed + 2);
        fc3 = new Linear(backend, name + ".fc3", hidden, 1, true).init(seed + 3);
        relu1 = new Relu(backend);
        relu2 = new Relu(backend);
        drop1 = new Dropout(backend, dropout, seed + 4);
        drop2 = new Dropout(backend, dropout, seed + 5);
    }

    public int embeddingSize() { return embedding; }
    public int hiddenSize() { return hidden; }
    /** Whether a pair's score outside training is the mean of its logits in both orders. */
    public boolean symmetric() { return symmetric; }
    public Linear fc1() { return fc1; }
    public Linear fc2() { return fc2; }
    public Linear fc3() { return fc3; }

    /** Logits [B] for the pairs (a[i], b[i]), a and b being [B, F]; both orders averaged if symmetric, outside training. */
    public Tensor forward(Tensor a, Tensor b, boolean training) {
        if (training || !symmetric) return forwardOrdered(a, b, training);
        firstOrder = simil.layers.Buffers.reuse(backend, firstOrder, a.dim(0));
        backend.tensors().copy(forwardOrdered(a, b, false), firstOrder);
        Tensor logits = forwardOrdered(b, a, false);
        backend.tensors().add(logits, firstOrder, logits);
        backend.tensors().scale(logits, 0.5f);
        return logits;
    }

    /** Logits [B] of f(a[i], b[i]) in this order. */
    private Tensor forwardOrdered(Tensor a, Tensor b, boolean training) {
        int n = a.dim(0);
        pair = simil.layers.Buffers.reuse(backend, pair, n, 2 * embedding);
        backend.tensors().concatColumns(a, b, pair);
        Tensor h = drop1.forward(relu1.forward(fc1.forward(pair, training), training), training);
        h = drop2.forward(relu2.forward(fc2.forward(h, training), training), training);
        return fc3.forward(h, training).reshape(n);
    }

    /** Gradients of the pair's embeddings, [B, F] each, for the logits' gradient dLogits [B]. */
    public Tensor[] backward(Tensor dLogits) {
        int n = dLogits.size();
        Tensor d = fc3.backward(dLogits.reshape(n, 1));
        d = fc2.backward(relu2.backward(drop2.backward(d)));
        Tensor dPair = fc1.backward(relu1.backward(drop1.backward(d)));
        dA = simil.layers.Buffers.reuse(backend, dA, n, embedding);
        dB = simil.layers.Buffers.reuse(backend, dB, n, embedding);
        backend.tensors().splitColumns(dPair, dA, dB);
        return new Tensor[] {dA, dB};
    }

    /** See {@link PairModel#restoreDropoutStep}. */
    public void restoreDropoutStep(long step) {
        drop1.setCounter(step);
        drop2.setCounter(step);
    }

    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(fc1.parameters());
        all.addAll(fc2.parameters());
        all.addAll(fc3.parameters());
        return all;
    }
}
