package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.GradCheck;

/** Finite-difference checks of the BEiT block, the patch embedding (patches and convolutional stem) and the token transpose. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class BeitGradientTest {
    @org.junit.jupiter.params.Parameter
    Backend be;
    private final BeitConfig config = new BeitConfig(8, 4, 8, 1, 2, 2, 0.1f, 0f, 1e-6f, true, 16, 4, 6, 0f, 3, false);

    @Test
    void blockGradientsMatchFiniteDifferences() {
        BeitBlock block = new BeitBlock(be, "blocks.0", config, 0f, 1).init(1, 4);
        // Away from the initialization's zeros and ones, so every gradient path carries signal.
        long seed = 10;
        for (Parameter p : block.parameters()) be.random().normal(p.value(), 0f, 0.5f, seed++);
        Tensor x = be.zeros(2, config.patches() + 1, config.dim());
        be.random().normal(x, 0f, 1f, 99);
        GradCheck.check(block, x, 1e-2f, 2e-3);
    }

    @Test
    void tokenTransposeGradientMatchesFiniteDifferences() {
        Tensor x = be.zeros(2, 3, 5);
        be.random().normal(x, 0f, 1f, 5);
        Tensor y = be.zeros(2, 5, 3), dx = be.zeros(2, 3, 5);
        GradCheck.check(() -> {
            be.tensors().transposeLastTwo(x, y);
            return y;
        }, dy -> {
            be.tensors().transposeLastTwo(dy, dx);
            return dx;
        }, x, java.util.List.of(), 1e-2f, 1e-4);
    }

    @Test
    void patchEmbeddingGradientsMatchFiniteDifferences() {
        PatchEmbedding embedding = new PatchEmbedding(be, "patch_embed", 3, 6, 4);
        embedding.proj().init(7);
        Tensor images = be.zeros(2, 3, 8, 8);
        be.random().normal(images, 0f, 1f, 8);
        GradCheck.check(embedding, images, 1e-2f, 1e-3);
    }

    @Test
    void convolutionalStemGradientsMatchFiniteDifferences() {
        BeitConfig stemmed = new BeitConfig(8, 4, 8, 1, 2, 2, 0.1f, 0f, 1e-6f, true, 16, 4, 6, 0f, 3, true);
        PatchEmbedding embedding = PatchEmbedding.of(be, "patch_embed", stemmed, 7);
        assertEquals(2, embedding.stem().buffers().size() / 2, "two stride-2 convolutions take a 4-pixel patch to one token");
        Tensor images = be.zeros(3, 3, 8, 8);
        be.random().normal(images, 0f, 1f, 8);
        assertArrayEquals(new int[] {3, 4, 8}, embedding.forward(images, true).shape());
        // A smaller step than elsewhere: the first convolution's weights move every pre-activation of two ReLUs, and a
        // step of 1e-2 carries some across the kink (5% error on both backends alike).
        GradCheck.check(embedding, images, 1e-3f, 2e-3);
    }
}
