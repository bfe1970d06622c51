package simil.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.data.ImageBatcher;
import simil.data.Normalization;
import simil.io.AtomicFiles;
import simil.models.PairModel;
import simil.models.beit.Beit;
import simil.models.matchnet.MatchNet;
import simil.onnx.OnnxAttribute;
import simil.onnx.OnnxGraph;

/**
 * A pair model as two ONNX files (opset {@value #OPSET}) that compute what the engine computes outside
 * training:
 * <ul>
 * <li>{@value #TOWER}: {@code images} [N, 3, S, S], RGB pixels scaled to [0, 1] → {@code embedding} [N, F],
 *     the model's pixel normalization inside the graph, and for a MatchNet with {@code flip_average} the mean
 *     of the tower's features of each image and its mirror image;</li>
 * <li>{@value #METRIC}: {@code a}, {@code b} [N, F] → {@code logit} and {@code probability} [N] of each pair
 *     (a[i], b[i]), both orders averaged for a model with {@code symmetric_score}.</li>
 * </ul>
 * Weights keep their checkpoint names as initializer names.
 */
public final class OnnxExport {
    public static final int OPSET = 17;
    public static final String TOWER = "tower.onnx", METRIC = "metric.onnx";

    private OnnxExport() {}

    /** Writes both files into {@code dir} (created if needed), each atomically; returns them. */
    public static List<Path> write(PairModel model, Normalization normalization, Path dir) throws IOException {
        byte[] tower = tower(model, normalization), metric = metric(model);
        Files.createDirectories(dir);
        Path towerFile = dir.resolve(TOWER), metricFile = dir.resolve(METRIC);
        AtomicFiles.write(towerFile, out -> out.write(tower));
        AtomicFiles.write(metricFile, out -> out.write(metric));
        return List.of(towerFile, metricFile);
    }

    /** The ModelProto of the embedding. */
    public static byte[] tower(PairModel model, Normalization normalization) {
        OnnxGraph graph = new OnnxGraph("simil_" + model.architecture() + "_tower");
        LayerNodes layers = new LayerNodes(graph, model.backend());
        int side = model instanceof Beit beit ? beit.beitConfig().imageSize() : ImageBatcher.SIDE;
        String images = graph.input("images", 3, side, side);
        String normalized = graph.node("Mul", graph.node("Sub", images, graph.weights("pixel_mean", normalization.mean(), 1, 3, 1, 1)),
                graph.weights("pixel_inv_std", inverse(normalization.std()), 1, 3, 1, 1));
        boolean flipAverage = false;
        String embedding;
        if (model instanceof MatchNet matchNet) {
            flipAverage = matchNet.matchNetConfig().flipAverage();
            embedding = flipAverage ? flipAveraged(layers, matchNet, normalized) : layers.sequential(matchNet.tower(), normalized);
        } else if (model instanceof Beit beit) {
            embedding = new BeitNodes(layers, beit.beitConfig()).embedding(beit, normalized);
        } else {
            throw new IllegalArgumentException("no ONNX export for architecture '" + model.architecture() + "'");
        }
        graph.output("embedding", embedding, model.embeddingSize());
        Map<String, String> metadata = metadata(model);
        metadata.put("input", "images: float32 [N, 3, " + side + ", " + side + "], RGB pixels scaled to [0, 1], channel-major; normalized inside the graph");
        metadata.put("pixel_mean", Arrays.toString(normalization.mean()));
        metadata.put("pixel_std", Arrays.toString(normalization.std()));
        metadata.put("flip_average", Boolean.toString(flipAverage));
        return graph.toModel(OPSET, metadata);
    }

    /** The ModelProto of the metric network. */
    public static byte[] metric(PairModel model) {
        OnnxGraph graph = new OnnxGraph("simil_" + model.architecture() + "_metric");
        LayerNodes layers = new LayerNodes(graph, model.backend());
        int features = model.embeddingSize();
        String a = graph.input("a", features), b = graph.input("b", features);
        String logits = MetricNodes.logits(layers, model.metric(), a, b);
        graph.output("logit", logits);
        graph.output("probability", graph.node("Sigmoid", logits));
        Map<String, String> metadata = metadata(model);
        metadata.put("input", "a, b: float32 [N, " + features + "], embeddings from " + TOWER + "; pair i is (a[i], b[i])");
        metadata.put("symmetric_score", Boolean.toString(model.metric().symmetric()));
        return graph.toModel(OPSET, metadata);
    }

    /** The tower over the images and their mirror images in one batch of 2N, then the mean of each pair of rows. */
    private static String flipAveraged(LayerNodes layers, MatchNet model, String images) {
        OnnxGraph graph = layers.graph();
        String mirrored = graph.node("Slice", images, graph.int64s(-1), graph.int64s(Long.MIN_VALUE), graph.int64s(3), graph.int64s(-1));
        String both = graph.node("Concat", List.of(OnnxAttribute.of("axis", 0L)), images, mirrored);
        String features = graph.node("Reshape", layers.sequential(model.tower(), both), graph.int64s(2, -1, model.embeddingSize()));
        return graph.node("ReduceMean", List.of(OnnxAttribute.ints("axes", 0), OnnxAttribute.of("keepdims", 0L)), features);
    }

    private static Map<String, String> metadata(PairModel model) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("architecture", model.architecture());
        metadata.put("embedding_size", Integer.toString(model.embeddingSize()));
        return metadata;
    }

    /** 1 / std per channel, as the engine multiplies (ImageStore.scale). */
    private static float[] inverse(float[] std) {
        float[] inv = new float[std.length];
        for (int i = 0; i < std.length; i++) inv[i] = 1f / std[i];
        return inv;
    }
}
