package simil.parity;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * A case's tensors on one backend, drawn from a seeded stream, so that the same calls on the CPU and on the backend
 * under test give the same numbers. Every other tensor is a view at an odd offset into a larger one (as packed
 * parameters and slices are), with NaN guard elements before it; every tensor has NaN guard elements after it: an op
 * that reads outside its tensors, or ignores an offset, brings NaN into its outputs; one that writes outside them changes the guard
 * elements, which are compared with the rest ({@link Outputs}). Outputs start at random values too, so an op
 * that should overwrite but adds, or writes nothing, differs.
 */
public final class Inputs {
    /** Guard elements after every tensor. */
    private static final int TAIL = 3;

    private final Backend backend;
    private final SplittableRandom random;
    /** Each view and the guarded tensor it lies in. */
    private final Map<Tensor, Tensor> guarded = new IdentityHashMap<>();
    private int made;

    Inputs(Backend backend, long seed) {
        this.backend = backend;
        this.random = new SplittableRandom(seed);
    }

    public Backend backend() { return backend; }

    /** Uniform in [low, high). */
    public Tensor uniform(float low, float high, int... shape) {
        return floats(uniformValues(count(shape), low, high), shape);
    }

    /** Normal with mean 0 and standard deviation {@code std}. */
    public Tensor normal(float std, int... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (std * random.nextGaussian());
        return floats(v, shape);
    }

    /** Int32 uniform in [0, bound). */
    public Tensor ints(int bound, int... shape) {
        int[] v = new int[count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = random.nextInt(bound);
        return ints(v, shape);
    }

    /** {@code values} as a float32 tensor (guarded, at an offset every other time). */
    public Tensor floats(float[] values, int... shape) {
        int lead = lead(), n = count(shape);
        if (values.length != n) throw new IllegalArgumentException(values.length + " values for " + Arrays.toString(shape));
        float[] all = new float[lead + n + TAIL];
        Arrays.fill(all, Float.NaN);
        System.arraycopy(values, 0, all, lead, n);
        Tensor whole = backend.fromArray(all, all.length);
        return register(whole, whole.slice(lead, lead + n).reshape(shape));
    }

    /** {@code values} as an int32 tensor; its guard elements hold Integer.MIN_VALUE. */
    public Tensor ints(int[] values, int... shape) {
        int lead = lead(), n = count(shape);
        if (values.length != n) throw new IllegalArgumentException(values.length + " values for " + Arrays.toString(shape));
        int[] all = new int[lead + n + TAIL];
        Arrays.fill(all, Integer.MIN_VALUE);
        System.arraycopy(values, 0, all, lead, n);
        Tensor whole = backend.fromIntArray(all, all.length);
        return register(whole, whole.slice(lead, lead + n).reshape(shape));
    }

    /** The next {@code n} uniforms of the stream in [low, high), for inputs built on the host. */
    public float[] uniformValues(int n, float low, float high) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) v[i] = low + (high - low) * (float) random.nextDouble();
        return v;
    }

    /** The next integer of the stream in [0, bound). */
    public int nextInt(int bound) { return random.nextInt(bound); }

    /** The guarded tensor {@code view} lies in (itself for a tensor this class did not make). */
    Tensor guarded(Tensor view) {
        return guarded.getOrDefault(view, view);
    }

    /** Frees every tensor made here. */
    void close() {
        guarded.values().forEach(Tensor::close);
        guarded.clear();
    }

    private Tensor register(Tensor whole, Tensor view) {
        guarded.put(view, whole);
        return view;
    }

    /** Guard elements before the next tensor: none every other time, else an odd count, so starts are unaligned. */
    private int lead() {
        int k = made++;
        return k % 2 == 0 ? 0 : 1 + 2 * (k / 2 % 4);
    }

    private static int count(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return Math.toIntExact(n);
    }
}
