package simil.layers;

import simil.tensor.Backend;
import simil.tensor.Rng;
import simil.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the rest scaled by
 * 1/(1−p); identity in evaluation. Every training forward draws a fresh mask from the seed
 * Rng.derive(seed, counter) and then advances the counter, so two layers built with the same seed give
 * the same masks call for call, and a resumed run that restores {@link #counter()} continues the sequence.
 */
public final class Dropout implements Layer {
    private final Backend backend;
    private final float p;
    private final long seed;
    private long counter;
    private boolean masked;
    private Tensor y, mask, dx;

    public Dropout(Backend backend, float p, long seed) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability " + p + " not in [0, 1)");
        this.backend = backend;
        this.p = p;
        this.seed = seed;
    }

    public float p() { return p; }

    /** How many masks this layer has drawn; the next mask uses seed Rng.derive(seed, counter). */
    public long counter() { return counter; }

    public void setCounter(long counter) { this.counter = counter; }

    /** The mask of the last training forward (0 or 1/(1−p) per element). */
    public Tensor mask() { return mask; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        masked = training && p > 0f;
        if (!masked) return x;
        y = Buffers.reuse(backend, y, x.shape());
        mask = Buffers.reuse(backend, mask, x.shape());
        backend.random().keepMask(mask, p, Rng.derive(seed, counter++));
        backend.tensors().multiply(x, mask, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (!masked) return dy;
        dx = Buffers.reuse(backend, dx, mask.shape());
        backend.tensors().multiply(dy, mask, dx);
        return dx;
    }
}
