package simil.models.beit;

import simil.layers.Buffers;
import simil.layers.Layer;
import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * Stochastic depth on a residual branch: in training each sample's whole branch output [B, ...] is
 * zeroed with probability p and kept scaled by 1/(1−p) otherwise; identity in evaluation. Like
 * {@link simil.layers.Dropout}, every training forward draws from Rng.derive(seed, counter) and advances
 * the counter, so runs are reproducible and a resumed run can continue the sequence.
 */
public final class DropPath implements Layer {
    private final Backend backend;
    private final float p;
    private final long seed;
    private long counter;
    private float[] keep; // per-sample factor of the last training forward: 0 or 1/(1−p)
    private Tensor y, dx;

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
        if (!training || p == 0f) {
            keep = null;
            return x;
        }
        long draw = Rng.derive(seed, counter++);
        keep = new float[x.dim(0)];
        for (int b = 0; b < keep.length; b++) keep[b] = Rng.uniform(draw, b) < p ? 0f : 1f / (1f - p);
        y = Buffers.reuse(backend, y, x.shape());
        scaleSamples(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (keep == null) return dy;
        dx = Buffers.reuse(backend, dx, dy.shape());
        scaleSamples(dy, dx);
        return dx;
    }

    private void scaleSamples(Tensor in, Tensor out) {
        backend.tensors().copy(in, out);
        for (int b = 0; b < keep.length; b++) {
            if (keep[b] != 1f) backend.tensors().scale(out.slice(b, b + 1), keep[b]);
        }
    }
}
