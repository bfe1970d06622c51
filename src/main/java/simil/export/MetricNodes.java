package simil.export;

import java.util.List;
import simil.models.MetricNetwork;
import simil.onnx.OnnxAttribute;
import simil.onnx.OnnxGraph;

/**
 * The metric network outside training as ONNX nodes: embeddings a, b [N, F] → logits [N], f(a, b), or
 * (f(a, b) + f(b, a)) / 2 for a symmetric network, both orders stacked into one batch of 2N pairs.
 */
final class MetricNodes {
    private MetricNodes() {}

    static String logits(LayerNodes layers, MetricNetwork metric, String a, String b) {
        OnnxGraph graph = layers.graph();
        String pairs = concat(graph, 1, a, b);
        if (metric.symmetric()) pairs = concat(graph, 0, pairs, concat(graph, 1, b, a));
        String h = graph.node("Relu", layers.gemm(metric.fc1(), pairs));
        h = graph.node("Relu", layers.gemm(metric.fc2(), h));
        String logits = layers.gemm(metric.fc3(), h);
        if (!metric.symmetric()) return graph.node("Reshape", logits, graph.int64s(-1));
        String orders = graph.node("Reshape", logits, graph.int64s(2, -1));
        return graph.node("ReduceMean", List.of(OnnxAttribute.ints("axes", 0), OnnxAttribute.of("keepdims", 0L)), orders);
    }

    private static String concat(OnnxGraph graph, long axis, String first, String second) {
        return graph.node("Concat", List.of(OnnxAttribute.of("axis", axis)), first, second);
    }
}
