package simil.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.layers.Parameter;
import simil.layers.ParameterRange;
import simil.layers.ParameterSet;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Adam over a fixed list of parameters, with PyTorch's formulas: {@link #adam} adds the weight decay to the
 * gradient (torch.optim.Adam), {@link #adamW} decays the weights directly (torch.optim.AdamW). Weight decay
 * applies only to parameters marked {@link Parameter#decayed()}. The parameters are runs of packed blocks
 * ({@link ParameterSet#ranges}: one run for a model, or part of one; two for a model and a head), and the first
 * and second moments are one block each in the same order, so a step is one op per run. The moments and the
 * step count are the state a resumed run must restore ({@link #state()}, {@link #steps()}).
 */
public final class Adam {
    private final List<Parameter> parameters;
    private final List<ParameterRange> ranges;
    private final Tensor m, v;
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
        this.ranges = ParameterSet.ranges(this.parameters);
        int total = 0;
        for (ParameterRange r : ranges) total = Math.addExact(total, r.size());
        Backend backend = ranges.isEmpty() ? null : ranges.get(0).values().backend();
        this.m = backend == null ? null : backend.zeros(total);
        this.v = backend == null ? null : backend.zeros(total);
    }

    /** torch.optim.Adam with its defaults (betas 0.9, 0.999; eps 1e-8) and L2 weight decay. */
    public static Adam adam(List<Parameter> parameters, float weightDecay) {
        return new Adam(parameters, 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }

    /** torch.optim.AdamW with its defaults (betas 0.9, 0.999; eps 1e-8) and decoupled weight decay. */
    public static Adam adamW(List<Parameter> parameters, float weightDecay) {
        return new Adam(parameters, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    /** One update of every parameter from its accumulated gradient: one op per run of packed parameters. */
    public void step(float lr) {
        steps++;
        int offset = 0;
        for (ParameterRange r : ranges) {
            int n = r.size();
            r.values().backend().optim().adamStep(r.values(), r.grads(), m.slice(offset, offset + n), v.slice(offset, offset + n),
                    r.decayMask(), lr, beta1, beta2, eps, weightDecay, decoupled, steps);
            offset += n;
        }
    }

    /** Zeroes every gradient: one fill per run. */
    public void zeroGrad() {
        ranges.forEach(ParameterRange::zeroGrad);
    }


    public List<Parameter> parameters() { return parameters; }

    /** Steps taken so far (the bias correction of the next step uses steps() + 1). */
    public int steps() { return steps; }

    /** Restores the step count of a resumed run (with the moments, loaded into {@link #state()}). */
    public void setSteps(int steps) {
        if (steps < 0) throw new IllegalArgumentException("negative step count " + steps);
        this.steps = steps;
    }

    /**
     * The moments, live, one view of each block per parameter, named "adam.m.PARAM" and "adam.v.PARAM" with the
     * parameter's shape: save them, or load into them.
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        int offset = 0;
        for (ParameterRange r : ranges) {
            for (Parameter p : r.parameters()) {
                state.put("adam.m." + p.name(), m.slice(offset, offset + p.size()).reshape(p.shape()));
                state.put("adam.v." + p.name(), v.slice(offset, offset + p.size()).reshape(p.shape()));
                offset += p.size();
            }
        }
        return state;
    }
}
