package simil.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.testing.Golden;

@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class AdamTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void adamMatchesPyTorch() {
        check("adam", false);
    }

    @Test
    void adamWMatchesPyTorch() {
        check("adamw", true);
    }

    /** Three steps on a decayed weight and an undecayed bias, as two PyTorch parameter groups. */
    private void check(String fixture, boolean decoupled) {
        Golden g = Golden.load(fixture);
        Parameter weight = new Parameter(be, "fc.weight", true, 3, 4), bias = new Parameter(be, "fc.bias", false, 4);
        g.copyInto("weight", weight.value());
        g.copyInto("bias", bias.value());
        float wd = g.floatParam("weight_decay");
        Adam adam = decoupled ? Adam.adamW(List.of(weight, bias), wd) : Adam.adam(List.of(weight, bias), wd);
        for (int step = 0; step < g.intParam("steps"); step++) {
            adam.zeroGrad();
            be.tensors().axpy(1f, g.tensor(be, "grad_weight_" + step), weight.grad());
            be.tensors().axpy(1f, g.tensor(be, "grad_bias_" + step), bias.grad());
            adam.step(g.floatParam("lr"));
        }
        assertEquals(3, adam.steps());
        g.assertMatches("weight_after", weight.value());
        g.assertMatches("bias_after", bias.value());
        g.assertMatches("m_weight", adam.state().get("adam.m.fc.weight"));
        g.assertMatches("v_weight", adam.state().get("adam.v.fc.weight"));
        g.assertMatches("m_bias", adam.state().get("adam.m.fc.bias"));
        g.assertMatches("v_bias", adam.state().get("adam.v.fc.bias"));
    }

    /**
     * One op over the packed block gives, bit for bit, what the update per parameter gave before the blocks: the
     * formula of torch.optim in float, with the weight decay of decayed parameters only.
     */
    @Test
    void oneStepOverTheBlockEqualsTheUpdatePerParameter() {
        for (boolean decoupled : new boolean[] {false, true}) {
            Parameter w = new Parameter(be, "w", true, 7, 5), b = new Parameter(be, "b", false, 5);
            float[][] values = {random(35, 1), random(5, 2)}, grads = {random(35, 3), random(5, 4)};
            be.write(w.value(), values[0]);
            be.write(b.value(), values[1]);
            float lr = 3e-3f, wd = 0.05f;
            Adam adam = new Adam(List.of(w, b), 0.9f, 0.999f, 1e-8f, wd, decoupled);
            float[][] m = {new float[35], new float[5]}, v = {new float[35], new float[5]};
            for (int step = 1; step <= 3; step++) {
                be.write(w.grad(), grads[0]);
                be.write(b.grad(), grads[1]);
                adam.step(lr);
                adam.zeroGrad();
                for (int p = 0; p < 2; p++) referenceStep(values[p], grads[p], m[p], v[p], lr, p == 0 ? wd : 0f, decoupled, step);
                for (int i = 0; i < grads[0].length; i++) grads[0][i] *= -0.7f;
            }
            assertArrayEquals(values[0], be.toArray(w.value()), "decayed weight, decoupled " + decoupled);
            assertArrayEquals(values[1], be.toArray(b.value()), "undecayed bias, decoupled " + decoupled);
            assertArrayEquals(m[0], be.toArray(adam.state().get("adam.m.w")));
            assertArrayEquals(v[1], be.toArray(adam.state().get("adam.v.b")));
            assertArrayEquals(new float[5], be.toArray(b.grad()), "zeroGrad clears the block");
        }
    }

    /** The per-parameter update as it was computed before parameters were packed. */
    private static void referenceStep(float[] p, float[] g, float[] m, float[] v, float lr, float weightDecay,
                                      boolean decoupled, int step) {
        float stepSize = (float) (lr / (1 - Math.pow(0.9f, step)));
        float sqrtBias2 = (float) Math.sqrt(1 - Math.pow(0.999f, step));
        float decay = decoupled ? 1 - lr * weightDecay : 1;
        float l2 = decoupled ? 0 : weightDecay;
        for (int i = 0; i < p.length; i++) {
            float w = p[i];
            float gi = g[i] + l2 * w;
            m[i] = 0.9f * m[i] + (1 - 0.9f) * gi;
            v[i] = 0.999f * v[i] + (1 - 0.999f) * gi * gi;
            p[i] = w * decay - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBias2 + 1e-8f);
        }
    }

    private static float[] random(int n, long seed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = simil.tensor.Rng.uniform(seed, i) * 2 - 1;
        return x;
    }

    @Test
    void resumingFromSavedStateContinuesExactly() {
        Golden g = Golden.load("adamw");
        Parameter a = new Parameter(be, "w", true, 3, 4), b = new Parameter(be, "w", true, 3, 4);
        g.copyInto("weight", a.value());
        Adam first = Adam.adamW(List.of(a), 0.1f);
        for (int step = 0; step < 2; step++) {
            first.zeroGrad();
            be.tensors().copy(g.tensor(be, "grad_weight_" + step), a.grad());
            first.step(0.01f);
        }
        // A second optimizer restored from the first one's state and step count.
        be.tensors().copy(a.value(), b.value());
        Adam resumed = Adam.adamW(List.of(b), 0.1f);
        first.state().forEach((name, t) -> be.tensors().copy(t, resumed.state().get(name)));
        resumed.setSteps(first.steps());
        for (Adam opt : List.of(first, resumed)) {
            Parameter p = opt.parameters().get(0);
            be.tensors().copy(g.tensor(be, "grad_weight_2"), p.grad());
            opt.step(0.01f);
        }
        Golden.assertClose("resumed weight", be.toArray(a.value()), be.toArray(b.value()), 0);
    }
}
