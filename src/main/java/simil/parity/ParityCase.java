package simil.parity;

import java.util.function.Function;
import simil.tensor.Backend;

/**
 * One op (or a pair of ops that only make sense together) checked against the CPU: {@link #body} builds its inputs from
 * {@link Inputs}, runs the op on them and records what it wrote in {@link Outputs}; it runs once on each backend
 * with the same seed, so both get the same inputs, and every output is compared ({@link CaseResult#compare}).
 *
 * @param name      the op, as its family and method: {@code blas.gemm}, {@code conv.conv2dForward}
 * @param tolerance what float outputs are held to unless an output says otherwise
 * @param skip      why the case does not apply to a backend (a capability it lacks), or null when it does
 */
public record ParityCase(String name, Tolerance tolerance, Body body, Function<Backend, String> skip) {
    /** Runs the op on one backend's tensors. */
    @FunctionalInterface
    public interface Body {
        void run(Inputs in, Outputs out);
    }

    public static ParityCase of(String name, Tolerance tolerance, Body body) {
        return new ParityCase(name, tolerance, body, backend -> null);
    }

    /** A case that applies only where {@code skip} gives null for both backends. */
    public static ParityCase where(String name, Tolerance tolerance, Function<Backend, String> skip, Body body) {
        return new ParityCase(name, tolerance, body, skip);
    }

    /** The case's outputs on {@code backend}; its tensors are freed afterwards. */
    Outputs runOn(Backend backend) {
        Inputs in = new Inputs(backend, seed());
        try {
            Outputs out = new Outputs(in, tolerance);
            body.run(in, out);
            return out;
        } finally {
            in.close();
        }
    }

    /** The inputs' seed: fixed per case, so a failure reproduces. */
    long seed() { return name.hashCode() * 0x9E3779B97F4A7C15L; }

    /** Runs the case on both backends and compares, or says why it was skipped; an op's exception is a failure. */
    public CaseResult check(Backend reference, Backend candidate) {
        String why = skip.apply(reference) != null ? skip.apply(reference) : skip.apply(candidate);
        if (why != null) return CaseResult.skipped(name, tolerance, why);
        long start = System.nanoTime();
        Outputs expected;
        try {
            expected = runOn(reference);
        } catch (RuntimeException e) {
            return CaseResult.failed(name, tolerance, "on the reference " + reference.name() + ": " + describe(e), seconds(start));
        }
        Outputs got;
        try {
            got = runOn(candidate);
        } catch (RuntimeException e) {
            return CaseResult.failed(name, tolerance, describe(e), seconds(start));
        }
        return CaseResult.compare(name, tolerance, expected, got, seconds(start));
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static double seconds(long start) { return (System.nanoTime() - start) / 1e9; }
}
