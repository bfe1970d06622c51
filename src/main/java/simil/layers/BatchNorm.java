package simil.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Batch normalization per channel of [N, C, H, W] (after a convolution) or [N, C] (after a linear layer),
 * as PyTorch's BatchNorm2d/BatchNorm1d: batch statistics in training, running statistics in evaluation.
 * The gain (weight, ones) and shift (bias, zeros) are not weight-decayed; the running mean (zeros) and
 * variance (ones) are untrained state, exposed by {@link #buffers()} so checkpoints carry them.
 */
public final class BatchNorm implements Layer {
    public static final float DEFAULT_MOMENTUM = 0.1f;
    public static final float DEFAULT_EPS = 1e-5f;

    private final Backend backend;
    private final String name;
    private final int channels;
    private final float momentum, eps;
    private final Parameter weight, bias;
    private final Tensor runningMean, runningVar, saveMean, saveInvStd;
    private Tensor x, y, dx;
    private boolean lastForwardTrained;

    public BatchNorm(Backend backend, String name, int channels, float momentum, float eps) {
        this.backend = backend;
        this.name = name;
        this.channels = channels;
        this.momentum = momentum;
        this.eps = eps;
        this.weight = new Parameter(backend, name + ".weight", false, channels);
        this.bias = new Parameter(backend, name + ".bias", false, channels);
        this.runningMean = backend.zeros(channels);
        this.runningVar = backend.zeros(channels);
        this.saveMean = backend.zeros(channels);
        this.saveInvStd = backend.zeros(channels);
        Init.constant(weight.value(), 1f);
        Init.constant(runningVar, 1f);
    }

    public BatchNorm(Backend backend, String name, int channels) {
        this(backend, name, channels, DEFAULT_MOMENTUM, DEFAULT_EPS);
    }

    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
    public Tensor runningMean() { return runningMean; }
    public Tensor runningVar() { return runningVar; }
    public float eps() { return eps; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.rank() < 2 || x.dim(1) != channels) {
            throw new IllegalArgumentException("batch norm " + name + ": input " + x + " is not [N, " + channels + ", ...]");
        }
        this.x = x;
        lastForwardTrained = training;
        y = Buffers.reuse(backend, y, x.shape());
        if (training) {
            backend.norms().batchNormForwardTraining(x, weight.value(), bias.value(), y, saveMean, saveInvStd,
                    runningMean, runningVar, momentum, eps);
        } else {
            backend.norms().batchNormForwardInference(x, weight.value(), bias.value(), runningMean, runningVar, eps, y);
        }
        return y;
    }

    /** The gradient of a training-mode forward (evaluation-mode outputs are not trained through). */
    @Override
    public Tensor backward(Tensor dy) {
        if (!lastForwardTrained) throw new IllegalStateException("batch norm " + name + ": backward after an evaluation-mode forward");
        dx = Buffers.reuse(backend, dx, x.shape());
        backend.norms().batchNormBackward(x, dy, weight.value(), saveMean, saveInvStd, dx, weight.grad(), bias.grad());
        return dx;
    }

    @Override
    public List<Parameter> parameters() { return List.of(weight, bias); }

    /** PyTorch's state-dict names: NAME.running_mean and NAME.running_var. */
    @Override
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put(name + ".running_mean", runningMean);
        state.put(name + ".running_var", runningVar);
        return state;
    }
}
