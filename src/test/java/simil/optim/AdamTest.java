package simil.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import simil.backend.cpu.CpuBackend;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.testing.Golden;

class AdamTest {
    private final Backend be = CpuBackend.get();

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
