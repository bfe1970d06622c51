package simil.onnx;

/** A node attribute of one of the kinds the exported graphs use: an integer, a float, or a list of integers. */
public final class OnnxAttribute {
    /** AttributeProto.AttributeType codes. */
    private static final int FLOAT = 1, INT = 2, INTS = 7;

    private final String name;
    private final int type;
    private final long integer;
    private final float real;
    private final long[] integers;

    private OnnxAttribute(String name, int type, long integer, float real, long[] integers) {
        this.name = name;
        this.type = type;
        this.integer = integer;
        this.real = real;
        this.integers = integers;
    }

    public static OnnxAttribute of(String name, long value) {
        return new OnnxAttribute(name, INT, value, 0f, null);
    }

    public static OnnxAttribute of(String name, float value) {
        return new OnnxAttribute(name, FLOAT, 0, value, null);
    }

    public static OnnxAttribute ints(String name, long... values) {
        return new OnnxAttribute(name, INTS, 0, 0f, values.clone());
    }

    /** The AttributeProto message. */
    ProtoWriter encode() {
        ProtoWriter a = new ProtoWriter().string(1, name).varint(20, type);
        switch (type) {
            case FLOAT -> a.float32(2, real);
            case INT -> a.varint(3, integer);
            default -> a.packedVarints(8, integers);
        }
        return a;
    }
}
