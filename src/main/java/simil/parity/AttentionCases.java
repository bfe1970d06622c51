package simil.parity;

import java.util.List;
import simil.tensor.AttentionOps;
import simil.tensor.Tensor;

/**
 * Attention with and without a bias (BEiT's 65 tokens of 8×8 patches and a class token, more tokens than a block of
 * 128, one token), the head plumbing, the relative position bias, embeddings with repeated ids, the class token and
 * masked patches. The probabilities a backward takes are computed on the host.
 */
final class AttentionCases {
    private AttentionCases() {}

    /** Softmax and products of depth up to a few hundred, in another order. */
    private static final Tolerance ATTENTION = Tolerance.of(2e-5, 2e-5);
    /** Gradients summed over repeated ids or positions in another order. */
    private static final Tolerance SCATTERED = Tolerance.of(1e-5, 1e-5);
    /** B, H, T, Dh. */
    private static final int[][] SHAPES = {{2, 3, 65, 32}, {1, 2, 130, 64}, {3, 2, 17, 16}, {1, 1, 1, 1}};

    static List<ParityCase> cases() {
        return List.of(
                ParityCase.of("attention.attentionForward", ATTENTION, (in, out) -> {
                    for (int[] s : SHAPES) {
                        Tensor q = in.uniform(-1, 1, s), k = in.uniform(-1, 1, s), v = in.uniform(-1, 1, s);
                        Tensor bias = in.uniform(-2, 2, s[1], s[2], s[2]);
                        Tensor probs = in.uniform(-1, 1, s[0], s[1], s[2], s[2]), o = in.uniform(-1, 1, s);
                        Tensor probs2 = in.uniform(-1, 1, s[0], s[1], s[2], s[2]), o2 = in.uniform(-1, 1, s);
                        float scale = (float) (1 / Math.sqrt(s[3]));
                        in.backend().attention().attentionForward(q, k, v, bias, scale, probs, o);
                        in.backend().attention().attentionForward(q, k, v, null, scale, probs2, o2);
                        String n = name(s);
                        out.add(n + " probs", probs).add(n + " out", o).add(n + " probs without bias", probs2).add(n + " out without bias", o2);
                    }
                }),
                ParityCase.of("attention.attentionBackward", ATTENTION, (in, out) -> {
                    for (int[] s : SHAPES) {
                        float scale = (float) (1 / Math.sqrt(s[3]));
                        int size = s[0] * s[1] * s[2] * s[3];
                        float[] qv = in.uniformValues(size, -1, 1), kv = in.uniformValues(size, -1, 1);
                        float[] bv = in.uniformValues(s[1] * s[2] * s[2], -2, 2);
                        Tensor q = in.floats(qv, s), k = in.floats(kv, s), v = in.uniform(-1, 1, s);
                        Tensor probs = in.floats(probabilities(s, qv, kv, bv, scale), s[0], s[1], s[2], s[2]);
                        Tensor dOut = in.uniform(-1, 1, s);
                        Tensor dScores = in.uniform(-1, 1, s[0], s[1], s[2], s[2]);
                        Tensor dq = in.uniform(-1, 1, s), dk = in.uniform(-1, 1, s), dv = in.uniform(-1, 1, s);
                        Tensor dBias = in.uniform(-1, 1, s[1], s[2], s[2]);
                        in.backend().attention().attentionBackward(q, k, v, probs, dOut, scale, dScores, dq, dk, dv, dBias);
                        String n = name(s);
                        out.add(n + " dScores", dScores).add(n + " dq", dq).add(n + " dk", dk).add(n + " dv", dv).add(n + " dBias", dBias);
                        Tensor dq2 = in.uniform(-1, 1, s), dk2 = in.uniform(-1, 1, s), dv2 = in.uniform(-1, 1, s);
                        Tensor dScores2 = in.uniform(-1, 1, s[0], s[1], s[2], s[2]);
                        in.backend().attention().attentionBackward(q, k, v, probs, dOut, scale, dScores2, dq2, dk2, dv2, null);
                        out.add(n + " dq without dBias", dq2).add(n + " dk without dBias", dk2).add(n + " dv without dBias", dv2);
                    }
                }),
                ParityCase.of("attention.splitHeads", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : SHAPES) {
                        int width = 3 * s[1] * s[3];
                        Tensor qkv = in.uniform(-1, 1, s[0], s[2], width), bias = in.uniform(-1, 1, width);
                        Tensor q = in.uniform(-1, 1, s), k = in.uniform(-1, 1, s), v = in.uniform(-1, 1, s);
                        in.backend().attention().splitHeads(qkv, bias, q, k, v);
                        Tensor q2 = in.uniform(-1, 1, s), k2 = in.uniform(-1, 1, s), v2 = in.uniform(-1, 1, s);
                        in.backend().attention().splitHeads(qkv, null, q2, k2, v2);
                        String n = name(s);
                        out.add(n + " q", q).add(n + " k", k).add(n + " v", v)
                                .add(n + " q without bias", q2).add(n + " k without bias", k2).add(n + " v without bias", v2);
                    }
                }),
                ParityCase.of("attention.splitHeadsBackward", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : SHAPES) {
                        Tensor dq = in.uniform(-1, 1, s), dk = in.uniform(-1, 1, s), dv = in.uniform(-1, 1, s);
                        Tensor dQkv = in.uniform(-1, 1, s[0], s[2], 3 * s[1] * s[3]);
                        in.backend().attention().splitHeadsBackward(dq, dk, dv, dQkv);
                        out.add(name(s), dQkv);
                    }
                }),
                ParityCase.of("attention.mergeHeads", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : SHAPES) {
                        Tensor x = in.uniform(-1, 1, s), y = in.uniform(-1, 1, s[0], s[2], s[1] * s[3]);
                        in.backend().attention().mergeHeads(x, y);
                        out.add(name(s), y);
                    }
                }),
                ParityCase.of("attention.mergeHeadsBackward", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : SHAPES) {
                        Tensor dy = in.uniform(-1, 1, s[0], s[2], s[1] * s[3]), dx = in.uniform(-1, 1, s);
                        in.backend().attention().mergeHeadsBackward(dy, dx);
                        out.add(name(s), dx);
                    }
                }),
                ParityCase.of("attention.relativePositionBias", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{65, 3, 228}, {17, 2, 9}, {1, 1, 1}}) {
                        Tensor table = in.uniform(-1, 1, s[2], s[1]), index = in.ints(s[2], s[0], s[0]);
                        Tensor bias = in.uniform(-1, 1, s[1], s[0], s[0]);
                        in.backend().attention().relativePositionBias(table, index, bias);
                        out.add(s[0] + " tokens, " + s[1] + " heads", bias);
                    }
                }),
                ParityCase.of("attention.relativePositionBiasBackward", SCATTERED, (in, out) -> {
                    for (int[] s : new int[][] {{65, 3, 228}, {17, 2, 9}, {1, 1, 1}}) {
                        Tensor index = in.ints(s[2], s[0], s[0]), dBias = in.uniform(-1, 1, s[1], s[0], s[0]);
                        Tensor dTable = in.uniform(-1, 1, s[2], s[1]);
                        in.backend().attention().relativePositionBiasBackward(index, dBias, dTable);
                        out.add(s[0] + " tokens, " + s[1] + " heads", dTable);
                    }
                }),
                ParityCase.of("attention.embeddingForward", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{8192, 192, 333}, {10, 7, 64}, {1, 1, 1}}) {
                        Tensor table = in.uniform(-1, 1, s[0], s[1]), ids = in.ints(s[0], s[2]), o = in.uniform(-1, 1, s[2], s[1]);
                        in.backend().attention().embeddingForward(table, ids, o);
                        out.add(s[2] + " of " + s[0] + "x" + s[1], o);
                    }
                }),
                ParityCase.of("attention.embeddingBackward", SCATTERED, (in, out) -> {
                    // Ten rows for 64 ids: most rows gather several gradients.
                    for (int[] s : new int[][] {{8192, 192, 333}, {10, 7, 64}, {1, 1, 1}}) {
                        Tensor ids = in.ints(s[0], s[2]), d = in.uniform(-1, 1, s[2], s[1]), dTable = in.uniform(-1, 1, s[0], s[1]);
                        in.backend().attention().embeddingBackward(ids, d, dTable);
                        out.add(s[2] + " of " + s[0] + "x" + s[1], dTable);
                    }
                }),
                ParityCase.of("attention.prependToken", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{3, 64, 192}, {2, 5, 33}, {1, 1, 1}}) {
                        Tensor x = in.uniform(-1, 1, s), cls = in.uniform(-1, 1, s[2]), o = in.uniform(-1, 1, s[0], s[1] + 1, s[2]);
                        in.backend().attention().prependToken(x, cls, o);
                        out.add(s[0] + "x" + s[1] + "x" + s[2], o);
                    }
                }),
                ParityCase.of("attention.prependTokenBackward", SCATTERED, (in, out) -> {
                    for (int[] s : new int[][] {{3, 64, 192}, {2, 5, 33}, {1, 1, 1}}) {
                        Tensor d = in.uniform(-1, 1, s[0], s[1] + 1, s[2]), dx = in.uniform(-1, 1, s), dCls = in.uniform(-1, 1, s[2]);
                        Tensor dCls2 = in.uniform(-1, 1, s[2]);
                        in.backend().attention().prependTokenBackward(d, dx, dCls);
                        in.backend().attention().prependTokenBackward(d, null, dCls2);
                        String n = s[0] + "x" + s[1] + "x" + s[2];
                        out.add(n + " dx", dx).add(n + " dCls", dCls).add(n + " dCls without dx", dCls2);
                    }
                }),
                ParityCase.of("attention.maskTokensForward", Tolerance.EXACT, (in, out) -> {
                    for (int[] s : new int[][] {{3, 64, 192}, {2, 5, 33}, {1, 1, 1}}) {
                        Tensor x = in.uniform(-1, 1, s), mask = in.ints(2, s[0], s[1]), e = in.uniform(-1, 1, s[2]);
                        Tensor y = in.uniform(-1, 1, s);
                        in.backend().attention().maskTokensForward(x, mask, e, y);
                        out.add(s[0] + "x" + s[1] + "x" + s[2], y);
                    }
                }),
                ParityCase.of("attention.maskTokensBackward", SCATTERED, (in, out) -> {
                    AttentionOps ops = in.backend().attention();
                    for (int[] s : new int[][] {{3, 64, 192}, {2, 5, 33}, {1, 1, 1}}) {
                        Tensor dy = in.uniform(-1, 1, s), mask = in.ints(2, s[0], s[1]), dx = in.uniform(-1, 1, s);
                        Tensor dE = in.uniform(-1, 1, s[2]), dE2 = in.uniform(-1, 1, s[2]);
                        ops.maskTokensBackward(dy, mask, dx, dE);
                        ops.maskTokensBackward(dy, mask, null, dE2);
                        String n = s[0] + "x" + s[1] + "x" + s[2];
                        out.add(n + " dx", dx).add(n + " dMaskEmbedding", dE).add(n + " dMaskEmbedding without dx", dE2);
                    }
                }));
    }

    private static String name(int[] s) {
        return "B" + s[0] + " H" + s[1] + " T" + s[2] + " Dh" + s[3];
    }

    /** softmax(scale · q kᵀ + bias) per batch entry and head, in double on the host. */
    private static float[] probabilities(int[] s, float[] q, float[] k, float[] bias, float scale) {
        int heads = s[1], tokens = s[2], dim = s[3];
        float[] p = new float[s[0] * heads * tokens * tokens];
        double[] row = new double[tokens];
        for (int bh = 0; bh < s[0] * heads; bh++) {
            int h = bh % heads;
            for (int i = 0; i < tokens; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < tokens; j++) {
                    double dot = 0;
                    for (int d = 0; d < dim; d++) dot += (double) q[(bh * tokens + i) * dim + d] * k[(bh * tokens + j) * dim + d];
                    row[j] = scale * dot + bias[(h * tokens + i) * tokens + j];
                    max = Math.max(max, row[j]);
                }
                for (int j = 0; j < tokens; j++) sum += Math.exp(row[j] - max);
                for (int j = 0; j < tokens; j++) p[(bh * tokens + i) * tokens + j] = (float) (Math.exp(row[j] - max) / sum);
            }
        }
        return p;
    }
}
