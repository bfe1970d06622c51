package simil.tensor;

/**
 * The metric network's layers after the first, prepared by {@link PairScoringOps#quantize}: W2 as s8
 * with one scale per output row (q = round(127 · w / max|row|)), packed in the layout the backend's
 * kernel reads ({@code packedWeights}, int32 words holding four s8 each); b2, w3 and b3 stay fp32.
 */
public record QuantizedMetric(int hidden, Tensor packedWeights, Tensor rowScales, Tensor b2, Tensor w3, float b3) {}
