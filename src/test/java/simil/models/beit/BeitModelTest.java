package simil.models.beit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.io.Checkpoint;
import simil.io.CheckpointException;
import simil.io.ModelDirectory;
import simil.layers.Parameter;
import simil.models.PairModel;
import simil.models.files.ModelFiles;
import simil.tensor.Backend;
import simil.tensor.Tensor;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class BeitModelTest {
    @org.junit.jupiter.params.Parameter
    Backend be;
    private final BeitConfig small = new BeitConfig(16, 8, 12, 2, 3, 4, 0.1f, 0.2f, 1e-6f, true, 32, 8, 16, 0.3f, 5, false);

    @Test
    void presetsHaveThePapersShapes() {
        BeitConfig tiny = BeitConfig.preset("tiny", 1);
        assertEquals(List.of(64, 8, 8, 192, 12, 3), List.of(tiny.imageSize(), tiny.patchSize(), tiny.grid(), tiny.dim(), tiny.depth(), tiny.heads()));
        assertEquals(List.of(384, 6), List.of(BeitConfig.preset("small", 1).dim(), BeitConfig.preset("small", 1).heads()));
        assertEquals(List.of(768, 12), List.of(BeitConfig.preset("base", 1).dim(), BeitConfig.preset("base", 1).heads()));
        assertEquals(8192, tiny.vocabSize());
        assertThrows(IllegalArgumentException.class, () -> BeitConfig.preset("huge", 1));
        assertThrows(IllegalArgumentException.class, () -> new BeitConfig(64, 12, 192, 12, 3, 4, 0.1f, 0f, 1e-6f, true, 8192, 256, 1024, 0.3f, 1, false));
    }

    @Test
    void configRoundTripsThroughJson() {
        assertEquals(small, BeitConfig.fromJson(small.toJson()));
        assertEquals("beit", small.toJson().get("architecture").getAsString());
        BeitConfig cpu = BeitConfig.preset("cpu", 3);
        assertEquals(cpu, BeitConfig.fromJson(cpu.toJson()));
        // A config.json written before the stem existed describes BEiT's patches.
        var old = small.toJson();
        old.remove("conv_stem");
        assertFalse(BeitConfig.fromJson(old).convStem());
    }

    @Test
    void cpuPresetHasAConvolutionalStemDownToTheGrid() {
        BeitConfig cpu = BeitConfig.preset("cpu", 1);
        assertTrue(cpu.convStem());
        assertEquals(3, cpu.stemConvolutions());
        assertEquals(List.of(cpu.dim() / 4, cpu.dim() / 2, cpu.dim()), List.of(cpu.stemWidth(0), cpu.stemWidth(1), cpu.stemWidth(2)));
        assertTrue(cpu.sameEncoder(cpu.withSeed(2).withVocabSize(16)), "seed and vocabulary are not the encoder's shape");
        assertFalse(BeitConfig.preset("tiny", 1).sameEncoder(new BeitConfig(64, 8, 192, 12, 3, 4, 0.1f, 0f, 1e-6f, true, 8192, 256, 1024, 0.3f, 1, true)));
        assertThrows(IllegalArgumentException.class, () -> new BeitConfig(60, 12, 24, 1, 2, 2, 0.1f, 0f, 1e-6f, true, 16, 4, 6, 0f, 3, true));
    }

    @Test
    void convolutionalStemStatisticsAreSavedLoadedAndCarriedByTheEncoder(@TempDir Path dir) throws Exception {
        BeitConfig stemmed = new BeitConfig(16, 8, 12, 2, 3, 4, 0.1f, 0f, 1e-6f, true, 32, 8, 16, 0.3f, 5, true);
        Beit trained = new Beit(be, stemmed);
        Tensor images = be.zeros(4, 3, 16, 16);
        be.random().normal(images, 0.5f, 1f, 3);
        trained.embed(images, true); // moves the batch-norm running statistics off their start
        assertEquals(6, trained.buffers().size(), "mean and variance of three stem batch norms");
        float[] expected = be.toArray(trained.embed(images, false));
        ModelFiles.save(trained, dir);
        assertArrayEquals(expected, be.toArray(ModelFiles.load(be, dir).embed(images, false)), 1e-6f);

        Beit fresh = Beit.forTraining(be, null, dir, 77);
        for (Map.Entry<String, Tensor> e : trained.buffers().entrySet()) {
            assertArrayEquals(be.toArray(e.getValue()), be.toArray(fresh.buffers().get(e.getKey())), e.getKey());
        }
        // An encoder file without the statistics is refused in one line, not loaded half.
        Map<String, Tensor> parametersOnly = new java.util.LinkedHashMap<>();
        for (Parameter p : trained.encoder().parameters()) parametersOnly.put(p.name(), p.value());
        Path bare = dir.resolve("bare");
        java.nio.file.Files.createDirectories(bare);
        Checkpoint.save(bare.resolve(ModelDirectory.WEIGHTS), parametersOnly, Map.of());
        CheckpointException e = assertThrows(CheckpointException.class, () -> new Beit(be, stemmed).loadEncoder(bare));
        assertTrue(e.getMessage().contains("statistics"), e.getMessage());
    }

    @Test
    void namesFollowTimmsBeitLayoutUnderEncoder() {
        List<String> names = new Beit(be, small).parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("encoder.patch_embed.proj.weight", "encoder.patch_embed.proj.bias", "encoder.cls_token",
                "encoder.mask_token", "encoder.blocks.0.norm1.weight", "encoder.blocks.0.norm1.bias",
                "encoder.blocks.0.attn.qkv.weight", "encoder.blocks.0.attn.q_bias", "encoder.blocks.0.attn.v_bias",
                "encoder.blocks.0.attn.relative_position_bias_table", "encoder.blocks.0.attn.proj.weight",
                "encoder.blocks.0.attn.proj.bias", "encoder.blocks.0.gamma_1", "encoder.blocks.0.norm2.weight",
                "encoder.blocks.0.norm2.bias", "encoder.blocks.0.mlp.fc1.weight", "encoder.blocks.0.mlp.fc1.bias",
                "encoder.blocks.0.mlp.fc2.weight", "encoder.blocks.0.mlp.fc2.bias", "encoder.blocks.0.gamma_2"),
                names.subList(0, 20));
        assertEquals(List.of("encoder.norm.weight", "encoder.norm.bias", "pool_norm.weight", "pool_norm.bias",
                "head.weight", "head.bias", "metric.fc1.weight"), names.subList(36, 43));
    }

    @Test
    void initializationFollowsBeit() {
        BeitEncoder encoder = new BeitEncoder(be, BeitConfig.preset("tiny", 1).withSeed(2));
        BeitBlock first = encoder.blocks().get(0), last = encoder.blocks().get(11);
        double truncatedStd = 0.02 * 0.8796; // a normal cut at ±2σ keeps 0.88 of its standard deviation
        assertEquals(truncatedStd, std(first.attn().qkv().weight().value()), 0.001);
        // proj and fc2 are divided by √(2·layer): layer 12 by √24.
        assertEquals(truncatedStd / Math.sqrt(24), std(last.fc2().weight().value()), 0.0003);
        assertEquals(truncatedStd / Math.sqrt(2), std(first.attn().proj().weight().value()), 0.001);
        assertTrue(max(first.attn().qkv().weight().value()) <= 0.04f + 1e-6f, "truncated at 2σ");
        assertArrayEquals(new float[first.attn().biasTable().size()], be.toArray(first.attn().biasTable().value()));
        assertEquals(0.1f, be.toArray(first.gamma1().gamma().value())[0]);
    }

    @Test
    void sameSeedSameModelAndStochasticDepthIsSeededAndOffInEvaluation() {
        Tensor images = be.zeros(4, 3, 16, 16);
        be.random().normal(images, 0f, 1f, 1);
        Beit a = new Beit(be, small), b = new Beit(be, small);
        float[] evalA = be.toArray(a.embed(images, false)), evalB = be.toArray(b.embed(images, false));
        assertArrayEquals(evalA, evalB);
        assertArrayEquals(evalA, be.toArray(a.embed(images, false)), "evaluation is deterministic");
        float[] trainA = be.toArray(a.encoder().forward(images, null, true));
        float[] trainB = be.toArray(b.encoder().forward(images, null, true));
        assertArrayEquals(trainA, trainB, "same seed, same drop-path draws");
        assertNotEquals(java.util.Arrays.toString(trainA), java.util.Arrays.toString(be.toArray(a.encoder().forward(images, null, false))));
        a.restoreDropoutStep(0);
        assertArrayEquals(trainA, be.toArray(a.encoder().forward(images, null, true)), "restored step, same draws");
    }

    @Test
    void dropPathZeroesWholeSamplesAndScalesTheRest() {
        DropPath drop = new DropPath(be, 0.5f, 9);
        Tensor x = be.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 8, 2);
        float[] y = be.toArray(drop.forward(x, true));
        int dropped = 0;
        for (int s = 0; s < 8; s++) {
            float factor = y[2 * s] / (2 * s + 1);
            assertTrue(factor == 0f || factor == 2f, "sample " + s + " scaled by " + factor);
            assertEquals(factor * (2 * s + 2), y[2 * s + 1], 1e-6);
            if (factor == 0f) dropped++;
        }
        assertTrue(dropped > 0 && dropped < 8, dropped + " of 8 dropped");
        float[] dx = be.toArray(drop.backward(be.fromArray(new float[16], 8, 2)));
        assertArrayEquals(new float[16], dx);
        assertEquals(x, drop.forward(x, false));
    }

    @Test
    void savesLoadsAndLoadsOnlyTheEncoderIntoAFreshModel(@TempDir Path dir) throws Exception {
        Beit trained = new Beit(be, small);
        ModelFiles.save(trained, dir);
        PairModel loaded = ModelFiles.load(be, dir);
        assertEquals("beit", loaded.architecture());
        for (Map.Entry<String, Tensor> e : trained.stateTensors().entrySet()) {
            assertArrayEquals(be.toArray(e.getValue()), be.toArray(loaded.stateTensors().get(e.getKey())), e.getKey());
        }

        Beit fresh = Beit.forTraining(be, null, dir, 77);
        assertEquals(77, fresh.beitConfig().seed());
        Beit reference = new Beit(be, small.withSeed(77));
        for (Parameter p : fresh.parameters()) {
            Tensor expected = p.name().startsWith(BeitEncoder.PREFIX) ? trained.stateTensors().get(p.name())
                    : reference.stateTensors().get(p.name());
            assertArrayEquals(be.toArray(expected), be.toArray(p.value()), p.name());
        }
        assertThrows(IllegalArgumentException.class, () -> Beit.forTraining(be, "tiny", dir, 1));
    }

    @Test
    void loadEncoderIgnoresOtherTensorsAndRejectsAnotherShape(@TempDir Path dir) throws Exception {
        BeitEncoder encoder = new BeitEncoder(be, small.withSeed(9));
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        for (Parameter p : encoder.parameters()) tensors.put(p.name(), p.value());
        tensors.put("mim_head.weight", be.zeros(32, 12));
        Checkpoint.save(dir.resolve(ModelDirectory.WEIGHTS), tensors, Map.of());
        Beit model = new Beit(be, small);
        model.loadEncoder(dir);
        assertArrayEquals(be.toArray(encoder.clsToken().token().value()), be.toArray(model.encoder().clsToken().token().value()));

        Beit wider = new Beit(be, new BeitConfig(16, 8, 24, 2, 3, 4, 0.1f, 0f, 1e-6f, true, 32, 8, 16, 0.3f, 5, false));
        CheckpointException e = assertThrows(CheckpointException.class, () -> wider.loadEncoder(dir));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    private double std(Tensor t) {
        float[] v = be.toArray(t);
        double s = 0;
        for (float x : v) s += x * x;
        return Math.sqrt(s / v.length);
    }

    private float max(Tensor t) {
        float m = 0;
        for (float x : be.toArray(t)) m = Math.max(m, Math.abs(x));
        return m;
    }
}
