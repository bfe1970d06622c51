package simil.models.beit;

import java.util.ArrayList;
import java.util.List;
import simil.layers.Buffers;
import simil.layers.Gelu;
import simil.layers.Init;
import simil.layers.Layer;
import simil.layers.LayerNorm;
import simil.layers.LayerScale;
import simil.layers.Linear;
import simil.layers.MultiHeadSelfAttention;
import simil.layers.Parameter;
import simil.tensor.Backend;
import simil.tensor.Tensor;

/**
 * One pre-LN BEiT block over [B, T, D] tokens:
 * x + DropPath(γ1 ⊙ Attn(LN1(x))), then + DropPath(γ2 ⊙ fc2(GELU(fc1(LN2(·))))).
 * Parameter names follow timm's BEiT: NAME.norm1, NAME.attn.*, NAME.gamma_1, NAME.norm2, NAME.mlp.fc1,
 * NAME.mlp.fc2, NAME.gamma_2.
 */
public final class BeitBlock implements Layer {
    private final Backend backend;
    private final LayerNorm norm1, norm2;
    private final MultiHeadSelfAttention attn;
    private final LayerScale gamma1, gamma2;
    private final DropPath dropPath1, dropPath2;
    private final Linear fc1, fc2;
    private final Gelu gelu;
    private Tensor mid, out, dMid, dx;

    /** {@code dropPath}: this block's stochastic depth rate; {@code seed} seeds its drop-path draws. */
    public BeitBlock(Backend backend, String name, BeitConfig c, float dropPath, long seed) {
        this.backend = backend;
        norm1 = new LayerNorm(backend, name + ".norm1", c.dim(), c.layerNormEps());
        attn = new MultiHeadSelfAttention(backend, name + ".attn", c.dim(), c.heads(), c.grid());
        gamma1 = new LayerScale(backend, name + ".gamma_1", c.dim(), c.layerScaleInit());
        norm2 = new LayerNorm(backend, name + ".norm2", c.dim(), c.layerNormEps());
        fc1 = new Linear(backend, name + ".mlp.fc1", c.dim(), c.mlpHidden(), true);
        gelu = new Gelu(backend);
        fc2 = new Linear(backend, name + ".mlp.fc2", c.mlpHidden(), c.dim(), true);
        gamma2 = new LayerScale(backend, name + ".gamma_2", c.dim(), c.layerScaleInit());
        dropPath1 = new DropPath(backend, dropPath, seed);
        dropPath2 = new DropPath(backend, dropPath, seed + 1);
    }

    /**
     * BEiT's initialization: linear weights truncated normal (std 0.02), biases and bias table zero, and
     * the weights writing into the residual stream (attn.proj, mlp.fc2) divided by √(2·layer) (the paper's
     * rescaling; {@code layer} counts from 1).
     */
    public BeitBlock init(int layer, long seed) {
        attn.init(seed);
        Init.truncatedNormal(fc1.weight().value(), 0.02f, seed + 2);
        Init.truncatedNormal(fc2.weight().value(), 0.02f, seed + 3);
        Init.constant(fc1.bias().value(), 0f);
        Init.constant(fc2.bias().value(), 0f);
        float rescale = (float) (1 / Math.sqrt(2.0 * layer));
        backend.tensors().scale(attn.proj().weight().value(), rescale);
        backend.tensors().scale(fc2.weight().value(), rescale);
        return this;
    }

    public LayerNorm norm1() { return norm1; }
    public MultiHeadSelfAttention attn() { return attn; }
    public LayerScale gamma1() { return gamma1; }
    public LayerNorm norm2() { return norm2; }
    public Linear fc1() { return fc1; }
    public Linear fc2() { return fc2; }
    public LayerScale gamma2() { return gamma2; }

    /** Positions both drop-path layers at training step {@code step} (one draw each per step). */
    public void restoreDropPathStep(long step) {
        dropPath1.setCounter(step);
        dropPath2.setCounter(step);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor branch = dropPath1.forward(gamma1.forward(attn.forward(norm1.forward(x, training), training), training), training);
        mid = Buffers.reuse(backend, mid, x.shape());
        backend.tensors().add(x, branch, mid);
        Tensor h = gelu.forward(fc1.forward(norm2.forward(mid, training), training), training);
        branch = dropPath2.forward(gamma2.forward(fc2.forward(h, training), training), training);
        out = Buffers.reuse(backend, out, x.shape());
        backend.tensors().add(mid, branch, out);
        return out;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dBranch = norm2.backward(fc1.backward(gelu.backward(fc2.backward(gamma2.backward(dropPath2.backward(dy))))));
        dMid = Buffers.reuse(backend, dMid, dy.shape());
        backend.tensors().add(dy, dBranch, dMid);
        dBranch = norm1.backward(attn.backward(gamma1.backward(dropPath1.backward(dMid))));
        dx = Buffers.reuse(backend, dx, dy.shape());
        backend.tensors().add(dMid, dBranch, dx);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(norm1.parameters());
        all.addAll(attn.parameters());
        all.addAll(gamma1.parameters());
        all.addAll(norm2.parameters());
        all.addAll(fc1.parameters());
        all.addAll(fc2.parameters());
        all.addAll(gamma2.parameters());
        return all;
    }
}
