package simil.tensor;

/**
 * Random fills. Element i of a fill with seed s depends only on (s, i), never on the order or the
 * number of threads that compute it, so runs are reproducible on any machine.
 */
public interface RandomOps {
    void uniform(Tensor t, float low, float high, long seed);

    void normal(Tensor t, float mean, float std, long seed);

    /**
     * Normal(mean, std²) truncated to mean ± 2·std (ViT and BEiT initializations), by rejection per element:
     * element i is mean + std·z for the first z with |z| ≤ 2 among {@code Rng.normal(seed, i)} (so it agrees with
     * {@link #normal} wherever that falls inside), then {@code Rng.normal(Rng.derive(seed, k), i)} for k = 1, 2, …
     * (about 1.05 draws per element on average).
     */
    void truncatedNormal(Tensor t, float mean, float std, long seed);

    /**
     * Inverted-dropout keep factors: mask[i] = 0 where {@code Rng.uniform(seed, i) < p}, else 1/(1−p), for
     * 0 ≤ p < 1. Dropout draws one per element and multiplies ({@link TensorOps#multiply}); drop path one per
     * sample and scales its rows ({@link TensorOps#scaleRows}).
     */
    void keepMask(Tensor mask, float p, long seed);

    /**
     * BEiT's blockwise masks: row i of the int32 {@code mask} [B, H·W] (1 = masked) is {@code masking}'s mask of image
     * {@code images[i]} (int32 [B]) with {@code seed}, exactly as {@link BlockwiseMasking#mask} draws it; each row is a
     * pure function of (seed, images[i]), so the rows can be drawn in parallel, one image per thread or thread block.
     */
    void blockwiseMask(Tensor images, BlockwiseMasking masking, long seed, Tensor mask);
}
