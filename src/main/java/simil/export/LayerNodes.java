package simil.export;

import java.util.List;
import java.util.Map;
import simil.layers.BatchNorm;
import simil.layers.Conv2d;
import simil.layers.Dropout;
import simil.layers.Flatten;
import simil.layers.Layer;
import simil.layers.LayerNorm;
import simil.layers.LayerScale;
import simil.layers.Linear;
import simil.layers.MaxPool2d;
import simil.layers.Parameter;
import simil.layers.Relu;
import simil.layers.Sequential;
import simil.onnx.OnnxAttribute;
import simil.onnx.OnnxGraph;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * The engine's layers as ONNX nodes in evaluation mode, their weights read from the backend and stored
 * under their checkpoint names (so {@code tower.conv1.weight} in model.safetensors is {@code tower.conv1.weight}
 * in the ONNX file). Dropout is the identity outside training and adds no node.
 */
final class LayerNodes {
    private final OnnxGraph graph;
    private final Backend backend;

    LayerNodes(OnnxGraph graph, Backend backend) {
        this.graph = graph;
        this.backend = backend;
    }

    OnnxGraph graph() { return graph; }

    String sequential(Sequential layers, String x) {
        for (Layer layer : layers.layers()) x = layer(layer, x);
        return x;
    }

    /** One layer of a sequential stack over NCHW images or [N, features] rows. */
    String layer(Layer layer, String x) {
        if (layer instanceof Conv2d conv) return conv(conv, x);
        if (layer instanceof BatchNorm norm) return batchNorm(norm, x);
        if (layer instanceof MaxPool2d pool) return maxPool(pool, x);
        if (layer instanceof Relu) return graph.node("Relu", x);
        if (layer instanceof Flatten) return graph.node("Flatten", List.of(OnnxAttribute.of("axis", 1L)), x);
        if (layer instanceof Linear linear) return gemm(linear, x);
        if (layer instanceof Dropout) return x;
        throw new IllegalArgumentException("no ONNX export for layer " + layer.getClass().getSimpleName());
    }

    String conv(Conv2d conv, String x) {
        long k = conv.kernel(), s = conv.stride(), p = conv.padding();
        List<OnnxAttribute> attributes = List.of(OnnxAttribute.ints("kernel_shape", k, k), OnnxAttribute.ints("strides", s, s),
                OnnxAttribute.ints("pads", p, p, p, p));
        return conv.bias() == null
                ? graph.node("Conv", attributes, x, weights(conv.weight()))
                : graph.node("Conv", attributes, x, weights(conv.weight()), weights(conv.bias()));
    }

    /** Running statistics (evaluation mode), over [N, C, H, W] or [N, C]. */
    String batchNorm(BatchNorm norm, String x) {
        String mean = null, variance = null;
        for (Map.Entry<String, Tensor> buffer : norm.buffers().entrySet()) {
            if (buffer.getKey().endsWith(".running_mean")) mean = weights(buffer.getKey(), buffer.getValue());
            else variance = weights(buffer.getKey(), buffer.getValue());
        }
        return graph.node("BatchNormalization", List.of(OnnxAttribute.of("epsilon", norm.eps())), x,
                weights(norm.weight()), weights(norm.bias()), mean, variance);
    }

    /** ONNX's MaxPool pads with values that never win, as the engine's does. */
    String maxPool(MaxPool2d pool, String x) {
        long k = pool.kernel(), s = pool.stride(), p = pool.padding();
        return graph.node("MaxPool", List.of(OnnxAttribute.ints("kernel_shape", k, k), OnnxAttribute.ints("strides", s, s),
                OnnxAttribute.ints("pads", p, p, p, p)), x);
    }

    /** A linear layer over rows [N, in]: x · Wᵀ + b. */
    String gemm(Linear linear, String x) {
        List<OnnxAttribute> transposed = List.of(OnnxAttribute.of("transB", 1L));
        return linear.bias() == null
                ? graph.node("Gemm", transposed, x, weights(linear.weight()))
                : graph.node("Gemm", transposed, x, weights(linear.weight()), weights(linear.bias()));
    }

    /** A linear layer over the last dimension of [..., in] (tokens): MatMul with Wᵀ, then the bias. */
    String matMul(Linear linear, String x) {
        String transposed = graph.node("Transpose", List.of(OnnxAttribute.ints("perm", 1, 0)), weights(linear.weight()));
        String y = graph.node("MatMul", x, transposed);
        return linear.bias() == null ? y : graph.node("Add", y, weights(linear.bias()));
    }

    String layerNorm(LayerNorm norm, String x) {
        return graph.node("LayerNormalization", List.of(OnnxAttribute.of("axis", -1L), OnnxAttribute.of("epsilon", norm.eps())),
                x, weights(norm.weight()), weights(norm.bias()));
    }

    String layerScale(LayerScale scale, String x) {
        return graph.node("Mul", x, weights(scale.gamma()));
    }

    /** The exact GELU, x · ½(1 + erf(x / √2)) (opset 17 has no Gelu operator). */
    String gelu(String x) {
        String erf = graph.node("Erf", graph.node("Mul", x, graph.scalar((float) (1 / Math.sqrt(2)))));
        String half = graph.node("Mul", graph.node("Add", erf, graph.scalar(1f)), graph.scalar(0.5f));
        return graph.node("Mul", x, half);
    }

    String weights(Parameter p) {
        return weights(p.name(), p.value());
    }

    String weights(String name, Tensor t) {
        return graph.weights(name, backend.toArray(t), t.shape());
    }
}
