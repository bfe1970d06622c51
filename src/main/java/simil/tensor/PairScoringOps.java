package simil.tensor;

/**
 * The metric network's second and third layers over a tile of pairs in reduced precision: for rows
 * i of {@code firstHalf} and j of {@code secondHalf} (the first layer's per-image halves, bias included),
 * logit(i, j) = w3 · relu(W2 · relu(firstHalf[i] + secondHalf[j]) + b2) + b3, with W2 and h1 in int8.
 * Used by the all-pairs evaluator, where the 1024×1024 product dominates; training stays fp32.
 */
public interface PairScoringOps {
    /**
     * Whether the kernel takes a hidden width {@code hidden} (its blocking); it runs only where the backend
     * {@linkplain Backend#supports supports} {@link Capability#INT8_PAIRS}.
     */
    boolean acceptsHidden(int hidden);

    /** W2 [H, H] (out × in), b2 [H], w3 [1, H], b3 [1] quantized once for {@link #scoreTile}. */
    QuantizedMetric quantize(Tensor w2, Tensor b2, Tensor w3, Tensor b3);

    /** logits[r · C + c] for every pair (firstHalf[r], secondHalf[c]), firstHalf [R, H], secondHalf [C, H]. */
    void scoreTile(Tensor firstHalf, Tensor secondHalf, QuantizedMetric metric, Tensor logits);
}
