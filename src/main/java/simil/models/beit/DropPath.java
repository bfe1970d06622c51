package simil.models.beit;

import simil.layers.Buffers;
import simil.layers.Layer;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * Stochastic depth on a residual branch: in training each sample's whole branch output [B, ...] is
 * zeroed with probability p and kept scaled by 1/(1−p) otherwise ({@link simil.tensor.RandomOps#keepMask} over
 * the samples, then {@link simil.tensor.TensorOps#scaleRows}); identity in evaluation. Like
 * {@link simil.layers.Dropout}, every training forward draws from Rng.derive(seed, counter) and advances
 * the counter, so runs are reproducible and a resumed run can continue the sequence.
 */
public final class DropPath implements Layer {
    private final Backend backend;
    private final float p;
    private final long seed;
    private long counter;
    private boolean dropped;
    private Tensor keep, y, dx; // keep: per-sample factor of the last training forward, 0 or 1/(1−p)

    public DropPath(Backend backend, float p, long seed) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("drop path probability " + p + " not in [0, 1)");
        this.backend = backend;
        this.p = p;
        this.seed = seed;
    }

    public float p() { return p; }

    public long counter() { return counter; }

    public void setCounter(long counter) { this.counter = counter; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        dropped = training && p > 0f;
        if (!dropped) return x;
        keep = Buffers.reuse(backend, keep, x.dim(0));
        backend.random().keepMask(keep, p, Rng.derive(seed, counter++));
        y = Buffers.reuse(backend, y, x.shape());
        backend.tensors().scaleRows(x, keep, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (!dropped) return dy;
        dx = Buffers.reuse(backend, dx, dy.shape());
        backend.tensors().scaleRows(dy, keep, dx);
        return dx;
    }
}
