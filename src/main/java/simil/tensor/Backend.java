package simil.tensor;

/**
 * Where tensors live and how they are computed on. Layers call only this interface, grouped into op
 * families, so that a CUDA backend can replace the CPU one without touching a layer. Every op writes
 * into tensors the caller allocated (explicit buffers, as in llm.c); none allocates behind the caller's back.
 * Ops run in the order they are called on the backend's one stream, and may still be running when the call
 * returns (on a GPU): results that the host reads come through a copy to the host, which waits for the ops
 * before it ({@link #toArray}), or {@link #copyToHostAsync} and then {@link #synchronize()}.
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
    default Tensor fromArray(float[] values, int... shape) {
        Tensor t = zeros(shape);
        write(t, values);
        return t;
    }

    /** A new int32 tensor holding a copy of {@code values}. */
    default Tensor fromIntArray(int[] values, int... shape) {
        Tensor t = intZeros(shape);
        writeInts(t, values);
        return t;
    }

    /** The elements of a float32 tensor, copied out once the ops before have finished. */
    float[] toArray(Tensor t);

    /** The elements of an int32 tensor, copied out once the ops before have finished. */
    int[] toIntArray(Tensor t);

    /** Overwrites {@code dst} with {@code values} (same element count). */
    void write(Tensor dst, float[] values);

    /** Overwrites the int32 tensor {@code dst} with {@code values}. */
    void writeInts(Tensor dst, int[] values);

    /** Waits until every op called so far has finished (on the CPU every op has when it returns). */
    void synchronize();

    /**
     * Copies the float32 tensor {@code src} into {@code dst[offset ..]} on the host after the ops called before,
     * without waiting for them: {@code dst} holds the values once {@link #synchronize()} returns.
     */
    void copyToHostAsync(Tensor src, float[] dst, int offset);

    /** A staging buffer of {@code floats} floats for input batches (pinned host memory on a GPU). */
    StagingBuffer stagingBuffer(int floats);

    /**
     * Copies the first {@code dst.size()} floats of {@code src} into the float32 tensor {@code dst}, in stream
     * order: one copy per input batch.
     */
    void copyIn(StagingBuffer src, Tensor dst);

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

    /** Nearest codebook rows, code counts and k-means updates (the visual tokenizers). */
    CodebookOps codebooks();

    /** Random fills from counter-based streams (same seed, same numbers, whatever the thread count). */
    RandomOps random();
}
