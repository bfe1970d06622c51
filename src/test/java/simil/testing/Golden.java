package simil.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import simil.io.SafeTensors;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Golden fixtures written by tools/golden/*.py with PyTorch (computed in float64, stored as float32):
 * src/test/resources/golden/NAME.safetensors, with hyper-parameters in the metadata.
 */
public final class Golden {
    /** The tolerance the project holds every op to: max |ours − torch| / max |torch| ≤ 1e-4. */
    public static final double TOLERANCE = 1e-4;

    private final String name;
    private final SafeTensors.Contents contents;

    private Golden(String name, SafeTensors.Contents contents) {
        this.name = name;
        this.contents = contents;
    }

    public static Golden load(String name) {
        var url = Golden.class.getResource("/golden/" + name + ".safetensors");
        if (url == null) throw new AssertionError("golden fixture " + name + " missing: run tools/golden/make_all.sh");
        try {
            return new Golden(name, SafeTensors.read(Path.of(url.toURI())));
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    public int[] shape(String tensor) { return contents.require(tensor).shape(); }
    public float[] floats(String tensor) { return contents.require(tensor).floats(); }
    public int[] ints(String tensor) { return contents.require(tensor).ints(); }
    public boolean has(String tensor) { return contents.entries().containsKey(tensor); }

    public int intParam(String key) { return Integer.parseInt(contents.metadata().get(key)); }
    public float floatParam(String key) { return Float.parseFloat(contents.metadata().get(key)); }
    public String param(String key) { return contents.metadata().get(key); }

    /** The named fixture tensor on {@code backend}, with its stored shape. */
    public Tensor tensor(Backend backend, String tensor) {
        SafeTensors.Entry e = contents.require(tensor);
        return e.isInt() ? backend.fromIntArray(e.ints(), e.shape()) : backend.fromArray(e.floats(), e.shape());
    }

    /** Writes the fixture's values into an existing tensor (a layer's parameter), checking the shape. */
    public void copyInto(String tensor, Tensor dst) {
        assertArrayEquals(shape(tensor), dst.shape(), name + "/" + tensor + ": shape");
        dst.backend().write(dst, floats(tensor));
    }

    /** Asserts {@code actual} matches the fixture tensor within {@link #TOLERANCE} (relative to its largest magnitude). */
    public void assertMatches(String tensor, Tensor actual) {
        assertArrayEquals(shape(tensor), actual.shape(), name + "/" + tensor + ": shape");
        assertClose(name + "/" + tensor, floats(tensor), actual.backend().toArray(actual), TOLERANCE);
    }

    public static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        assertTrue(expected.length == actual.length, what + ": " + actual.length + " values, expected " + expected.length);
        double maxRef = 0, maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= maxDiff)) { // also catches NaN
                maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                worst = i;
            }
        }
        double rel = maxDiff / Math.max(maxRef, 1e-30);
        assertTrue(rel <= tolerance, what + ": relative error " + rel + " > " + tolerance + " (worst at " + worst
                + ": expected " + (worst >= 0 ? expected[worst] : 0) + ", got " + (worst >= 0 ? actual[worst] : 0) + ")");
    }
}
