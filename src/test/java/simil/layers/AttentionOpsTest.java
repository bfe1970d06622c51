package simil.layers;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import simil.tensor.Backend;
import simil.tensor.Tensor;
import simil.testing.Golden;
import simil.testing.GradCheck;

/** The backend's attention ops on their own: scaled dot-product attention, head packing, the bias gather. */
@ParameterizedClass
@MethodSource("simil.testing.AllBackends#everyBackend")
class AttentionOpsTest {
    @org.junit.jupiter.params.Parameter
    Backend be;

    @Test
    void attentionMatchesPyTorch() {
        Golden g = Golden.load("attention_op");
        Tensor q = g.tensor(be, "q"), k = g.tensor(be, "k"), v = g.tensor(be, "v"), bias = g.tensor(be, "bias");
        float scale = g.floatParam("scale");
        int[] s = q.shape();
        Tensor probs = be.zeros(s[0], s[1], s[2], s[2]), out = be.zeros(s);
        be.attention().attentionForward(q, k, v, bias, scale, probs, out);
        g.assertMatches("probs", probs);
        g.assertMatches("out", out);
        Tensor dq = be.zeros(s), dk = be.zeros(s), dv = be.zeros(s), dBias = be.zeros(bias.shape());
        be.attention().attentionBackward(q, k, v, probs, g.tensor(be, "dout"), scale, be.zeros(probs.shape()), dq, dk, dv, dBias);
        g.assertMatches("dq", dq);
        g.assertMatches("dk", dk);
        g.assertMatches("dv", dv);
        g.assertMatches("dbias", dBias);
    }

    @Test
    void attentionGradientsMatchFiniteDifferences() {
        int b = 2, h = 3, t = 4, dh = 5;
        float scale = 0.7f;
        Tensor q = normal(1, b, h, t, dh);
        Parameter k = parameter("k", 2, b, h, t, dh), v = parameter("v", 3, b, h, t, dh), bias = parameter("bias", 4, h, t, t);
        Tensor probs = be.zeros(b, h, t, t), out = be.zeros(b, h, t, dh), dq = be.zeros(b, h, t, dh);
        GradCheck.check(() -> {
            be.attention().attentionForward(q, k.value(), v.value(), bias.value(), scale, probs, out);
            return out;
        }, dOut -> {
            be.attention().attentionBackward(q, k.value(), v.value(), probs, dOut, scale, be.zeros(probs.shape()), dq, k.grad(), v.grad(), bias.grad());
            return dq;
        }, q, List.of(k, v, bias), 1e-2f, 1e-3);
    }

    @Test
    void splitAndMergeHeadsGradientsMatchFiniteDifferences() {
        int b = 2, h = 2, t = 3, dh = 4, dim = h * dh;
        Tensor qkv = normal(5, b, t, 3 * dim);
        Parameter bias = parameter("qkv_bias", 6, 3 * dim);
        Tensor q = be.zeros(b, h, t, dh), k = be.zeros(b, h, t, dh), v = be.zeros(b, h, t, dh);
        Tensor merged = be.zeros(b, t, 3 * dim);
        Tensor dq = be.zeros(b, h, t, dh), dk = be.zeros(b, h, t, dh), dv = be.zeros(b, h, t, dh), dQkv = be.zeros(b, t, 3 * dim);
        // y = [merge(q) ; merge(k) ; merge(v)] side by side, so every element of the split reaches the output.
        GradCheck.check(() -> {
            be.attention().splitHeads(qkv, bias.value(), q, k, v);
            mergeInto(q, k, v, merged);
            return merged;
        }, dMerged -> {
            Tensor[] parts = {dq, dk, dv};
            for (int p = 0; p < 3; p++) {
                Tensor dy = be.zeros(b, t, dim);
                sliceColumns(dMerged, p, dim, dy);
                be.attention().mergeHeadsBackward(dy, parts[p]);
            }
            be.attention().splitHeadsBackward(dq, dk, dv, dQkv);
            be.tensors().sumRows(dQkv, bias.grad(), true);
            return dQkv;
        }, qkv, List.of(bias), 1e-2f, 1e-3);
    }

    @Test
    void relativePositionBiasGradientMatchesFiniteDifferences() {
        int grid = 2, tokens = grid * grid + 1, heads = 2;
        Parameter table = parameter("table", 7, RelativePositionIndex.tableSize(grid), heads);
        Tensor index = be.fromIntArray(RelativePositionIndex.compute(grid), tokens, tokens);
        Tensor bias = be.zeros(heads, tokens, tokens);
        Tensor unused = be.zeros(1);
        GradCheck.check(() -> {
            be.attention().relativePositionBias(table.value(), index, bias);
            return bias;
        }, dBias -> {
            be.attention().relativePositionBiasBackward(index, dBias, table.grad());
            return null;
        }, unused, List.of(table), 1e-2f, 1e-3);
    }

    /** merged[b, t, p·D : (p+1)·D] = mergeHeads(part p). */
    private void mergeInto(Tensor q, Tensor k, Tensor v, Tensor merged) {
        int b = q.dim(0), t = q.dim(2), dim = q.dim(1) * q.dim(3);
        Tensor[] parts = {q, k, v};
        Tensor y = be.zeros(b, t, dim);
        float[] all = new float[merged.size()];
        for (int p = 0; p < 3; p++) {
            be.attention().mergeHeads(parts[p], y);
            float[] yv = be.toArray(y);
            for (int r = 0; r < b * t; r++) System.arraycopy(yv, r * dim, all, r * 3 * dim + p * dim, dim);
        }
        be.write(merged, all);
    }

    private void sliceColumns(Tensor packed, int part, int dim, Tensor out) {
        float[] all = be.toArray(packed), o = new float[out.size()];
        for (int r = 0; r < o.length / dim; r++) System.arraycopy(all, r * 3 * dim + part * dim, o, r * dim, dim);
        be.write(out, o);
    }

    private Tensor normal(long seed, int... shape) {
        Tensor t = be.zeros(shape);
        be.random().normal(t, 0f, 1f, seed);
        return t;
    }

    private Parameter parameter(String name, long seed, int... shape) {
        Parameter p = new Parameter(be, name, false, shape);
        be.random().normal(p.value(), 0f, 1f, seed);
        return p;
    }
}
