package simil.tokenizer;

import java.util.List;
import simil.layers.Buffers;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * Vector quantization (van den Oord et al. 2017): each encoder output z is replaced by its nearest codebook
 * row e. The loss adds the codebook term mean‖e − sg(z)‖² and β times the commitment term mean‖z − sg(e)‖²
 * (means over all n·C values, as PyTorch's mse_loss). Backward is the straight-through estimator: the decoder's
 * gradient passes to z unchanged, plus the commitment gradient; the codebook gets the codebook term's gradient.
 */
public final class VectorQuantizer {
    private final Backend backend;
    private final Parameter codebook;
    private final float beta;
    private Tensor z, zq, diff, dz, found, codes;

    public VectorQuantizer(Backend backend, String name, int vocabulary, int dim, float beta) {
        this.backend = backend;
        this.codebook = new Parameter(backend, name + ".codebook", false, vocabulary, dim);
        this.beta = beta;
    }

    public Parameter codebook() { return codebook; }
    public float beta() { return beta; }
    public int vocabulary() { return codebook.shape()[0]; }

    /** The codes int32 [n] of the last forward (live; overwritten by the next). */
    public Tensor codes() { return codes; }

    /** Nearest codes int32 [n] of z [n, C] (no state kept). */
    public void encode(Tensor z, Tensor out) {
        backend.codebooks().nearest(z, codebook.value(), out, null);
    }

    /** z [n, C] → quantized [n, C]; codes found by nearest neighbour. */
    public Tensor forward(Tensor z) {
        found = Buffers.reuseInts(backend, found, z.dim(0));
        encode(z, found);
        return forwardWithCodes(z, found);
    }

    /** The forward with the codes int32 [n] given (gradient checks hold them fixed; kept until the next forward). */
    public Tensor forwardWithCodes(Tensor z, Tensor given) {
        int n = z.dim(0), dim = z.rowSize();
        given.requireShape("codes", n);
        this.z = z;
        this.codes = given;
        zq = Buffers.reuse(backend, zq, n, dim);
        backend.attention().embeddingForward(codebook.value(), codes, zq);
        diff = Buffers.reuse(backend, diff, n, dim);
        backend.tensors().copy(zq, diff);
        backend.tensors().axpy(-1f, z, diff);
        return zq;
    }

    /** Writes into {@code out} [1] the codebook + β · commitment loss of the last forward (both are mean‖e − z‖² in value). */
    public void loss(Tensor out) {
        backend.tensors().sumOfSquares(diff, out, false);
        backend.tensors().scale(out, (1 + beta) / diff.size());
    }

    /**
     * Straight-through backward: dz = dQuantized + β·2(z − e)/(n·C) (overwrites, returned);
     * dCodebook[code] += 2(e − z)/(n·C).
     */
    public Tensor backward(Tensor dQuantized) {
        float g = 2f / diff.size();
        dz = Buffers.reuse(backend, dz, diff.shape());
        backend.tensors().copy(dQuantized, dz);
        backend.tensors().axpy(-beta * g, diff, dz);
        backend.tensors().scale(diff, g);
        backend.attention().embeddingBackward(codes, diff, codebook.grad());
        backend.tensors().scale(diff, 1f / g);
        return dz;
    }

    public List<Parameter> parameters() { return List.of(codebook); }
}
