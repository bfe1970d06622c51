package simil.scoring;

import simil.layers.Linear;
import simil.models.MetricNetwork;
import simil.tensor.Backend;
import simil.tensor.Capability;
import simil.tensor.QuantizedMetric;
import simil.tensor.Tensor;

/**
 * The metric network after its first layer, over a tile of pairs given by their first-layer halves
 * ({@link SplitFirstLayer}): logit(r, c) = fc3(relu(fc2(relu(rows[r] + cols[c])))). In fp32 the tile's hidden
 * activations go through two sgemms; in {@link AllPairsScorer.Precision#INT8} through the backend's fused kernel,
 * where the backend has one ({@link Capability#INT8_PAIRS}) for this hidden width, else fp32.
 */
final class PairTiles {
    /** Logits [R·C] of a tile, row-major, from the first-layer halves of its rows [R, H] and columns [C, H]. */
    @FunctionalInterface
    private interface Scorer {
        void score(Tensor rows, Tensor cols, Tensor logits);
    }

    private final AllPairsScorer.Precision precision;
    private final Scorer scorer;

    /** Tiles of up to {@code maxPairs} pairs, at {@code requested} precision where the backend can. */
    PairTiles(MetricNetwork metric, Backend backend, AllPairsScorer.Precision requested, int maxPairs) {
        precision = effective(metric, backend, requested);
        scorer = precision == AllPairsScorer.Precision.INT8 ? int8(metric, backend) : fp32(metric, backend, maxPairs);
    }

    /** {@code requested}, or FP32 where the backend has no int8 kernel for the network's hidden width. */
    static AllPairsScorer.Precision effective(MetricNetwork metric, Backend backend, AllPairsScorer.Precision requested) {
        return requested == AllPairsScorer.Precision.INT8 && backend.supports(Capability.INT8_PAIRS)
                && backend.pairScoring().acceptsHidden(metric.hiddenSize()) ? AllPairsScorer.Precision.INT8 : AllPairsScorer.Precision.FP32;
    }

    AllPairsScorer.Precision precision() { return precision; }

    /** logits[r · C + c] for every pair (rows[r], cols[c]); R · C at most the {@code maxPairs} these tiles were made for. */
    void score(Tensor rows, Tensor cols, Tensor logits) {
        scorer.score(rows, cols, logits);
    }

    /** h1 = relu(rows ⊕ cols), then two sgemms through the hidden activations of the whole tile. */
    private static Scorer fp32(MetricNetwork metric, Backend backend, int maxPairs) {
        int hidden = metric.hiddenSize();
        Linear fc2 = metric.fc2(), fc3 = metric.fc3();
        Tensor h1 = backend.zeros(maxPairs, hidden), h2 = backend.zeros(maxPairs, hidden);
        return (rows, cols, logits) -> {
            int pairs = logits.size();
            Tensor a = h1.slice(0, pairs), b = h2.slice(0, pairs);
            backend.tensors().pairSumRelu(rows, cols, a);
            backend.blas().linearForward(a, fc2.weight().value(), fc2.bias().value(), b);
            backend.activations().reluForward(b, b);
            backend.blas().linearForward(b, fc3.weight().value(), fc3.bias().value(), logits.reshape(pairs, 1));
        };
    }

    /** The backend's fused int8 kernel; W2 is quantized once, when the tiles are made. */
    private static Scorer int8(MetricNetwork metric, Backend backend) {
        QuantizedMetric q = backend.pairScoring().quantize(metric.fc2().weight().value(), metric.fc2().bias().value(),
                metric.fc3().weight().value(), metric.fc3().bias().value());
        return (rows, cols, logits) -> backend.pairScoring().scoreTile(rows, cols, q, logits);
    }
}
