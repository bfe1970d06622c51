package simil.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import simil.layers.Layer;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * Finite-difference gradient checks. The scalar probed is L = Σ y ⊙ r for a fixed random r, summed in
 * double precision; each analytic gradient is compared with central differences (L(θ+h) − L(θ−h)) / 2h
 * over every element (or a seeded sample of large tensors) by relative error of the whole vector.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Elements probed per tensor; larger tensors are sampled. */
    private static final int MAX_PROBES = 200;

    /** Checks dL/dx and dL/dθ of {@code layer} at input {@code x} (training mode, same randomness each call). */
    public static void check(Layer layer, Tensor x, float h, double tolerance) {
        check(() -> layer.forward(x, true), layer::backward, x, layer.parameters(), h, tolerance);
    }

    /**
     * General form: {@code forward} recomputes the output from the current values of x and the
     * parameters; {@code backward} maps dL/dy to dL/dx (null when x needs no gradient).
     */
    public static void check(Supplier<Tensor> forward, java.util.function.Function<Tensor, Tensor> backward,
                             Tensor x, List<Parameter> parameters, float h, double tolerance) {
        Backend be = x.backend();
        Tensor y = forward.get();
        float[] r = new float[y.size()];
        for (int i = 0; i < r.length; i++) r[i] = Rng.uniform(77, i) * 2 - 1;
        parameters.forEach(Parameter::zeroGrad);
        Tensor dx = backward.apply(be.fromArray(r, y.shape()));
        if (dx != null) compare("input", be.toArray(dx), x, forward, r, h, tolerance);
        for (Parameter p : parameters) compare(p.name(), be.toArray(p.grad()), p.value(), forward, r, h, tolerance);
    }

    private static void compare(String what, float[] analytic, Tensor t, Supplier<Tensor> forward, float[] r,
                                float h, double tolerance) {
        Backend be = t.backend();
        float[] values = be.toArray(t);
        int n = values.length;
        int probes = Math.min(n, MAX_PROBES);
        double diff2 = 0, a2 = 0, f2 = 0;
        for (int p = 0; p < probes; p++) {
            int i = probes == n ? p : (int) Long.remainderUnsigned(Rng.bits(5, p), n);
            float saved = values[i];
            values[i] = saved + h;
            be.write(t, values);
            double plus = dot(be.toArray(forward.get()), r);
            values[i] = saved - h;
            be.write(t, values);
            double minus = dot(be.toArray(forward.get()), r);
            values[i] = saved;
            be.write(t, values);
            double numeric = (plus - minus) / (2.0 * h);
            diff2 += (numeric - analytic[i]) * (numeric - analytic[i]);
            a2 += (double) analytic[i] * analytic[i];
            f2 += numeric * numeric;
        }
        double rel = Math.sqrt(diff2) / Math.max(1e-12, Math.max(Math.sqrt(a2), Math.sqrt(f2)));
        assertTrue(Math.sqrt(a2) + Math.sqrt(f2) > 0 || n == 0, what + ": gradient is identically zero");
        assertTrue(rel <= tolerance, what + ": relative error " + rel + " > " + tolerance);
    }

    private static double dot(float[] y, float[] r) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) y[i] * r[i];
        return s;
    }
}
