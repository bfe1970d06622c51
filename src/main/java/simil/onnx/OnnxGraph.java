package simil.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph being built, and the ModelProto that holds it: float32 inputs and outputs whose first
 * dimension is the batch ({@value #BATCH}, any size), weights and constants as initializers, and nodes
 * of the default (ai.onnx) domain. Written with our own protobuf encoder ({@link ProtoWriter}); the field
 * numbers are those of onnx.proto (ONNX 1.12, IR version 8).
 */
public final class OnnxGraph {
    /** The symbolic name of every input's and output's first dimension. */
    public static final String BATCH = "N";
    /** IR version 8: what ONNX 1.10 to 1.12 write, for opsets up to 17. */
    private static final long IR_VERSION = 8;
    /** TensorProto.DataType codes. */
    private static final int FLOAT = 1, INT64 = 7;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>(), initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>(), outputs = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private int counter;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A float32 input [N, dims...]. */
    public String input(String input, int... dims) {
        claim(input);
        inputs.add(valueInfo(input, dims));
        return input;
    }

    /** Names {@code value} as the float32 output {@code output} [N, dims...] (through an Identity node). */
    public void output(String output, String value, int... dims) {
        claim(output);
        nodes.add(node("Identity", List.of(), new String[] {value}, output));
        outputs.add(valueInfo(output, dims));
    }

    /** A float32 initializer named {@code initializer} (a checkpoint tensor keeps its checkpoint name). */
    public String weights(String initializer, float[] data, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(data);
        return initializer(initializer, FLOAT, raw.array(), data.length, dims);
    }

    /** A float32 scalar constant. */
    public String scalar(float value) {
        return weights(fresh("const"), new float[] {value});
    }

    /** A float32 constant vector. */
    public String floats(float... values) {
        return weights(fresh("const"), values, values.length);
    }

    /** An int64 constant vector (shapes, axes, slice bounds). */
    public String int64s(long... values) {
        return int64Tensor(values, values.length);
    }

    /** An int64 constant of any shape (an index table). */
    public String int64Tensor(long[] data, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(data);
        return initializer(fresh("const"), INT64, raw.array(), data.length, dims);
    }

    /** Appends {@code op} over {@code inputs}; returns the name of its (single) output. */
    public String node(String op, String... inputs) {
        return node(op, List.of(), inputs);
    }

    public String node(String op, List<OnnxAttribute> attributes, String... inputs) {
        for (String input : inputs) {
            if (!values.contains(input)) throw new IllegalStateException(op + ": no value named '" + input + "' in graph " + name);
        }
        String output = fresh(op);
        claim(output);
        nodes.add(node(op, attributes, inputs, output));
        return output;
    }

    /** The ModelProto bytes: this graph, the default domain at {@code opset}, and {@code metadata} as metadata_props. */
    public byte[] toModel(int opset, Map<String, String> metadata) {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : nodes) graph.message(1, n);
        graph.string(2, name);
        for (ProtoWriter t : initializers) graph.message(5, t);
        for (ProtoWriter i : inputs) graph.message(11, i);
        for (ProtoWriter o : outputs) graph.message(12, o);
        ProtoWriter model = new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, "simil")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, opset));
        metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }

    private static ProtoWriter node(String op, List<OnnxAttribute> attributes, String[] inputs, String output) {
        ProtoWriter n = new ProtoWriter();
        for (String input : inputs) n.string(1, input);
        n.string(2, output).string(3, output).string(4, op);
        for (OnnxAttribute a : attributes) n.message(5, a.encode());
        return n;
    }

    /** ValueInfoProto of a float32 tensor [N, dims...]. */
    private static ProtoWriter valueInfo(String value, int[] dims) {
        ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, BATCH));
        for (int d : dims) shape.message(1, new ProtoWriter().varint(1, d));
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, value).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** A TensorProto initializer of {@code count} values in {@code raw} (little-endian), shaped {@code dims}. */
    private String initializer(String tensor, int dataType, byte[] raw, int count, int[] dims) {
        claim(tensor);
        long expected = 1;
        for (int d : dims) expected *= d;
        if (expected != count) throw new IllegalArgumentException(tensor + ": " + count + " values for shape " + Arrays.toString(dims));
        ProtoWriter t = new ProtoWriter();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) shape[i] = dims[i];
        if (shape.length > 0) t.packedVarints(1, shape);
        initializers.add(t.varint(2, dataType).string(8, tensor).bytes(9, raw));
        return tensor;
    }

    private String fresh(String prefix) {
        String candidate;
        do {
            candidate = prefix + "_" + counter++;
        } while (values.contains(candidate));
        return candidate;
    }

    private void claim(String value) {
        if (!values.add(value)) throw new IllegalStateException("graph " + name + " already has a value named '" + value + "'");
    }
}
