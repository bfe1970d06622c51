package simil.layers;

import java.util.List;
import java.util.Map;
import simil.tensor.Tensor;

/**
 * A one-input, one-output layer. forward keeps what backward needs; backward takes the gradient of the
 * output, accumulates parameter gradients and returns the gradient of the input (null when the layer
 * was told its input needs none). A layer instance serves one forward/backward pair at a time, so a
 * Siamese tower runs both images of a pair as one batch.
 */
public interface Layer {
    Tensor forward(Tensor x, boolean training);

    Tensor backward(Tensor dy);

    /** The layer's learned tensors, in a stable order. */
    default List<Parameter> parameters() { return List.of(); }

    /** State that is saved with the model but not trained by gradients (batch norm's running statistics). */
    default Map<String, Tensor> buffers() { return Map.of(); }
}
