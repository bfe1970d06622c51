package simil.tensor;

/**
 * Where tensors live and how they are computed on. Layers call only this interface, grouped into op
 * families, so that a CUDA backend can replace the CPU one without touching a layer. Every op writes
 * into tensors the caller allocated (explicit buffers, as in llm.c); none allocates behind the caller's back.
 */
public interface Backend {
    String name();

    /** The device this backend computes on: its name, a description for logs, its capabilities. */
    Device device();

    /** Whether the device can do {@code capability} (int8 pair scoring, bf16, tensor cores). */
    default boolean supports(Capability capability) {
        return device().capabilities().contains(capability);
    }

    /** A new float32 tensor of zeros. */
    Tensor zeros(int... shape);

    /** A new int32 tensor of zeros. */
    Tensor intZeros(int... shape);

    /** A new float32 tensor holding a copy of {@code values}. */
    Tensor fromArray(float[] values, int... shape);

    /** A new int32 tensor holding a copy of {@code values}. */
    Tensor fromIntArray(int[] values, int... shape);

    /** The elements of a float32 tensor, copied out. */
    float[] toArray(Tensor t);

    /** The elements of an int32 tensor, copied out. */
    int[] toIntArray(Tensor t);

    /** Overwrites {@code dst} with {@code values} (same element count). */
    void write(Tensor dst, float[] values);

    /** Overwrites the int32 tensor {@code dst} with {@code values}. */
    void writeInts(Tensor dst, int[] values);

    /** Matrix products (sgemm). */
    BlasOps blas();

    /** Copies, fills, sums, bias and concatenation. */
    TensorOps tensors();

    /** ReLU, GELU, softmax. */
    ActivationOps activations();

    /** Convolution and pooling. */
    ConvOps conv();

    /** Batch norm and layer norm. */
    NormOps norms();

    /** Multi-head attention, embeddings, token masking. */
    AttentionOps attention();

    /** Loss functions with their gradients. */
    LossOps losses();

    /** Optimizer updates and gradient norms. */
    OptimOps optim();

    /** The metric network over tiles of pairs in int8 (all-pairs evaluation). */
    PairScoringOps pairScoring();

    /** Random fills from counter-based streams (same seed, same numbers, whatever the thread count). */
    RandomOps random();
}
