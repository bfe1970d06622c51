package simil.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.models.matchnet.MatchNet;
import simil.models.matchnet.MatchNetConfig;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/** MatchNet's flip-averaged embedding: the mean over the image and its mirror, outside training only. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class FlipAverageTest {
    @Parameter
    Backend be;

    private MatchNet model(boolean flipAverage) {
        return new MatchNet(be, new MatchNetConfig(8, 16, 0.3f, true, flipAverage, false, 7));
    }

    private Tensor images(long seed) {
        Tensor x = be.zeros(3, 3, 64, 64);
        be.random().normal(x, 0, 1, seed);
        return x;
    }

    private Tensor mirror(Tensor x) {
        Tensor m = be.zeros(x.shape());
        be.tensors().flipLastDim(x, m);
        return m;
    }

    @Test
    void flipLastDimMirrorsEachRow() {
        Tensor x = be.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), out = be.zeros(2, 3);
        be.tensors().flipLastDim(x, out);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, be.toArray(out));
    }

    @Test
    void embeddingIsTheMeanOverImageAndMirror() {
        MatchNet averaging = model(true), plain = model(false);
        Tensor x = images(1);
        float[] a = be.toArray(plain.embed(x, false)), b = be.toArray(plain.embed(mirror(x), false));
        float[] got = be.toArray(averaging.embed(x, false));
        for (int i = 0; i < got.length; i++) assertEquals(0.5f * (a[i] + b[i]), got[i], 1e-5f * (1 + Math.abs(got[i])), "element " + i);
    }

    @Test
    void anImageAndItsMirrorEmbedAlike() {
        MatchNet averaging = model(true);
        Tensor x = images(2);
        float[] direct = be.toArray(averaging.embed(x, false)).clone(), mirrored = be.toArray(averaging.embed(mirror(x), false));
        assertArrayEquals(direct, mirrored, 1e-5f);
        assertFalse(java.util.Arrays.equals(be.toArray(model(false).embed(x, false)), be.toArray(model(false).embed(mirror(x), false))),
                "without averaging the tower is not mirror-symmetric, so the check above can fail");
    }

    @Test
    void trainingEmbedsTheImageAsGiven() {
        Tensor x = images(3);
        assertArrayEquals(be.toArray(model(false).embed(x, true)), be.toArray(model(true).embed(x, true)));
    }

    @Test
    void configRoundTripsAndOldConfigsGoWithoutFlipAveragingOrSymmetricScores() {
        MatchNetConfig c = new MatchNetConfig(8, 16, 0.3f, true, true, true, 7);
        assertEquals(c, MatchNetConfig.fromJson(c.toJson()));
        JsonObject old = c.toJson();
        old.remove("flip_average");
        old.remove("symmetric_score");
        assertFalse(MatchNetConfig.fromJson(old).flipAverage());
        assertFalse(MatchNetConfig.fromJson(old).symmetricScore());
        assertTrue(new MatchNet(be, c).metric().symmetric());
    }
}
