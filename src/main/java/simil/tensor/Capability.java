package simil.tensor;

/**
 * What a backend's device can do beyond the float32 ops every backend has; callers ask
 * {@link Backend#supports} instead of knowing which device has what.
 */
public enum Capability {
    /** A fused int8 kernel for the metric network over tiles of pairs ({@link PairScoringOps}). */
    INT8_PAIRS,
    /** bfloat16 arithmetic. */
    BF16,
    /** Matrix units (tensor cores) for reduced-precision matrix products. */
    TENSOR_CORES
}
