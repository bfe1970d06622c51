package simil.tensor;

/** Element types a backend stores: activations and weights are float32, indices (token ids, masks) int32. */
public enum DType {
    FLOAT32, INT32;

    /** Bytes per element. */
    public int bytes() { return 4; }
}
