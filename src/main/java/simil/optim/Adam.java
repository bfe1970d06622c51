package simil.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.layers.Parameter;
import simil.tensor.Tensor;

/**
 * Adam over a fixed list of parameters, with PyTorch's formulas: {@link #adam} adds the weight decay to the
 * gradient (torch.optim.Adam), {@link #adamW} decays the weights directly (torch.optim.AdamW). Weight decay
 * applies only to parameters marked {@link Parameter#decayed()}. The moments and the step count are the
 * state a resumed run must restore ({@link #state()}, {@link #steps()}).
 */
public final class Adam {
    private final List<Parameter> parameters;
    private final List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private int steps;

    public Adam(List<Parameter> parameters, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        if (!(beta1 >= 0f && beta1 < 1f && beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("betas (" + beta1 + ", " + beta2 + ") not in [0, 1)");
        }
        if (!(eps > 0f) || !(weightDecay >= 0f)) throw new IllegalArgumentException("eps " + eps + ", weight decay " + weightDecay);
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        for (Parameter p : this.parameters) {
            m.add(p.value().backend().zeros(p.shape()));
            v.add(p.value().backend().zeros(p.shape()));
        }
    }

    /** torch.optim.Adam with its defaults (betas 0.9, 0.999; eps 1e-8) and L2 weight decay. */
    public static Adam adam(List<Parameter> parameters, float weightDecay) {
        return new Adam(parameters, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }

    /** torch.optim.AdamW with its defaults (betas 0.9, 0.999; eps 1e-8) and decoupled weight decay. */
    public static Adam adamW(List<Parameter> parameters, float weightDecay) {
        return new Adam(parameters, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    /** One update of every parameter from its accumulated gradient. */
    public void step(float lr) {
        steps++;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            p.value().backend().optim().adamStep(p.value(), p.grad(), m.get(i), v.get(i), lr, beta1, beta2, eps,
                    p.decayed() ? weightDecay : 0f, decoupled, steps);
        }
    }

    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    public List<Parameter> parameters() { return parameters; }

    /** Steps taken so far (the bias correction of the next step uses steps() + 1). */
    public int steps() { return steps; }

    /** Restores the step count of a resumed run (with the moments, loaded into {@link #state()}). */
    public void setSteps(int steps) {
        if (steps < 0) throw new IllegalArgumentException("negative step count " + steps);
        this.steps = steps;
    }

    /** The moment tensors, live, named "adam.m.PARAM" and "adam.v.PARAM": save them, or load into them. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            state.put("adam.m." + parameters.get(i).name(), m.get(i));
            state.put("adam.v." + parameters.get(i).name(), v.get(i));
        }
        return state;
    }
}
