package simil.models;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A Siamese similarity model: an embedding applied to each image with shared weights, then a
 * {@link MetricNetwork} over the pair of embeddings. The trainer, evaluator and compare command work
 * on this interface, so MatchNet and BEiT are trained and measured by the same code.
 */
public interface PairModel {
    /** "matchnet" or "beit": the name checkpoints and reports carry. */
    String architecture();

    Backend backend();

    /** Embeddings [N, embeddingSize()] of images [N, 3, 64, 64]; training mode keeps what backward needs. */
    Tensor embed(Tensor images, boolean training);

    /** Backward of the last {@link #embed} call: accumulates parameter gradients. */
    void embedBackward(Tensor dEmbeddings);

    int embeddingSize();

    MetricNetwork metric();

    /** Parameters of the embedding (tower or encoder), without the metric network's. */
    List<Parameter> embeddingParameters();

    /** Every learned parameter, embedding first, then the metric network. */
    default List<Parameter> parameters() {
        List<Parameter> all = new java.util.ArrayList<>(embeddingParameters());
        all.addAll(metric().parameters());
        return all;
    }

    /**
     * Positions every dropout layer at training step {@code step}, so a resumed run draws the same masks
     * as an uninterrupted one (each layer draws one mask per step).
     */
    void restoreDropoutStep(long step);

    /** Non-trained state saved with the weights (batch-norm running statistics). */
    Map<String, Tensor> buffers();

    /** The constructor arguments, written as config.json beside the weights. */
    JsonObject config();

    /** Every tensor a checkpoint holds: parameters then buffers, by name. */
    default Map<String, Tensor> stateTensors() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Parameter p : parameters()) all.put(p.name(), p.value());
        all.putAll(buffers());
        return all;
    }
}
