package simil.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.layers.Linear;
import simil.layers.Parameter;
import simil.layers.ParameterSet;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A linear classifier over a pair model's embedding (tensors "classifier.weight" [K, F] and "classifier.bias" [K]):
 * the head the {@code default} recipe trains the tower with, kept beside the model so that a pair can be scored
 * through the class posteriors it gives, softmax(e·Wᵀ + b). K is the number of classes trained on.
 */
public final class ClassifierHead {
    /** The tensors' name prefix. */
    public static final String NAME = "classifier";

    private final Backend backend;
    private final Linear linear;

    /** A head of {@code classes} outputs over embeddings of {@code embedding} features, freshly initialized from {@code seed}. */
    public ClassifierHead(Backend backend, int embedding, int classes, long seed) {
        if (classes < 2) throw new IllegalArgumentException("a classifier head needs 2 or more classes, not " + classes);
        this.backend = backend;
        this.linear = new Linear(backend, NAME, embedding, classes, true).init(seed);
        ParameterSet.pack(linear.parameters());
    }

    /** The layer itself, for training. */
    public Linear linear() { return linear; }

    public List<Parameter> parameters() { return linear.parameters(); }

    public int classes() { return linear.weight().value().dim(0); }

    public int embeddingSize() { return linear.weight().value().dim(1); }

    /** The head's tensors by name, as its file holds them. */
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Parameter p : linear.parameters()) state.put(p.name(), p.value());
        return state;
    }

    /** Class posteriors [N, K] of embeddings [N, F], in a new tensor. */
    public Tensor posteriors(Tensor embeddings) {
        int n = embeddings.dim(0);
        Tensor logits = backend.zeros(n, classes());
        backend.blas().linearForward(embeddings, linear.weight().value(), linear.bias().value(), logits);
        backend.activations().softmaxForward(logits, logits);
        return logits;
    }
}
