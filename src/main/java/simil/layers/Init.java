package simil.layers;

import simil.tensor.Tensor;

/** Weight initializations, seeded; the defaults follow PyTorch so our models start where theirs would. */
public final class Init {
    private Init() {}

    /** PyTorch's default for Linear and Conv2d: U(−1/√fanIn, 1/√fanIn) (kaiming_uniform with a = √5). */
    public static void pytorchDefault(Tensor t, int fanIn, long seed) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        t.backend().random().uniform(t, -bound, bound, seed);
    }

    /** He/Kaiming normal for ReLU networks: N(0, 2/fanIn). */
    public static void kaimingNormal(Tensor t, int fanIn, long seed) {
        t.backend().random().normal(t, 0f, (float) Math.sqrt(2.0 / fanIn), seed);
    }

    /** Normal with the given standard deviation, truncated to ±2σ as ViT/BEiT initializations do. */
    public static void truncatedNormal(Tensor t, float std, long seed) {
        t.backend().random().truncatedNormal(t, 0f, std, seed);
    }

    public static void constant(Tensor t, float value) {
        t.backend().tensors().fill(t, value);
    }
}
