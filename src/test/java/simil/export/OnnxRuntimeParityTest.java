package simil.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.data.JpegDecoder;
import simil.data.Normalization;
import simil.tensor.Backend;

/**
 * The exported ONNX files, run by onnxruntime, compute what the engine computes: tower.onnx on raw [0, 1]
 * pixels gives the engine's embeddings (pixel normalization and flip averaging inside the graph), metric.onnx
 * on them gives its logits and probabilities (symmetric scores inside), for every exported kind of model,
 * and the batch dimension takes any size.
 */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class OnnxRuntimeParityTest {
    @Parameter
    Backend backend;

    private static final float TOLERANCE = 1e-4f;

    @Test
    void onnxruntimeComputesWhatTheEngineComputes(@TempDir Path dir) throws Exception {
        List<Path> images = ExportFixtures.writeImages(dir);
        float[] raw = ExportFixtures.pixels(images, Normalization.NONE);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (ExportFixtures.Case c : ExportFixtures.cases(backend)) {
            ExportFixtures.Outputs engine = ExportFixtures.engine(c, ExportFixtures.pixels(images, c.normalization()));
            int features = c.model().embeddingSize();
            assertTrue(informative(engine), c.name() + ": the engine's outputs are too uniform for a comparison to mean much: " + Arrays.toString(engine.logits()));
            try (OrtSession tower = env.createSession(OnnxExport.tower(c.model(), c.normalization()));
                 OrtSession metric = env.createSession(OnnxExport.metric(c.model()))) {
                float[] embeddings = run(env, tower, Map.of("images", new Input(raw, images.size(), 3, JpegDecoder.SIDE, JpegDecoder.SIDE)), "embedding");
                assertClose(c.name() + " embeddings", engine.embeddings(), embeddings);
                float[] one = run(env, tower, Map.of("images", new Input(Arrays.copyOf(raw, JpegDecoder.IMAGE_BYTES), 1, 3, JpegDecoder.SIDE, JpegDecoder.SIDE)), "embedding");
                assertClose(c.name() + " embedding of a batch of one", Arrays.copyOf(engine.embeddings(), features), one);

                int pairs = ExportFixtures.PAIRS.length;
                float[] a = new float[pairs * features], b = new float[pairs * features];
                for (int p = 0; p < pairs; p++) {
                    System.arraycopy(engine.embeddings(), ExportFixtures.PAIRS[p][0] * features, a, p * features, features);
                    System.arraycopy(engine.embeddings(), ExportFixtures.PAIRS[p][1] * features, b, p * features, features);
                }
                Map<String, Input> inputs = Map.of("a", new Input(a, pairs, features), "b", new Input(b, pairs, features));
                assertClose(c.name() + " logits", engine.logits(), run(env, metric, inputs, "logit"));
                assertClose(c.name() + " probabilities", engine.probabilities(), run(env, metric, inputs, "probability"));
            }
        }
    }

    /** Embeddings not all but zero (at least one value in 50: a trained tower's ReLU leaves few), and logits that span 100 times the tolerance. */
    private static boolean informative(ExportFixtures.Outputs engine) {
        long nonzero = 0;
        for (float v : engine.embeddings()) if (v != 0) nonzero++;
        double[] logits = new double[engine.logits().length];
        for (int i = 0; i < logits.length; i++) logits[i] = engine.logits()[i];
        double span = Arrays.stream(logits).max().orElse(0) - Arrays.stream(logits).min().orElse(0);
        return nonzero * 50 >= engine.embeddings().length && span > 100 * TOLERANCE;
    }

    private record Input(float[] values, long... shape) {}

    private static float[] run(OrtEnvironment env, OrtSession session, Map<String, Input> inputs, String output) throws OrtException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (Map.Entry<String, Input> e : inputs.entrySet()) {
                tensors.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().values()), e.getValue().shape()));
            }
            try (OrtSession.Result result = session.run(tensors)) {
                OnnxTensor tensor = (OnnxTensor) result.get(output).orElseThrow();
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return values;
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** Elementwise within {@link #TOLERANCE} · max(1, max |expected|). */
    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        float scale = 1;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * scale, what + ", element " + i);
        }
    }
}
