package simil.backend.cpu;

import simil.tensor.Tensor;
import simil.tensor.AttentionOps;

final class CpuAttentionOps implements AttentionOps {
    CpuAttentionOps(CpuBackend backend) {}

    @Override
    public void attentionForward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale, Tensor probs, Tensor out) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor dOut, float scale,
                           Tensor dq, Tensor dk, Tensor dv, Tensor dBias) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void splitHeads(Tensor qkv, Tensor q, Tensor k, Tensor v) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void splitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dQkv) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void mergeHeads(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void mergeHeadsBackward(Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void embeddingForward(Tensor table, Tensor ids, Tensor out) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void embeddingBackward(Tensor ids, Tensor dOut, Tensor dTable) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void prependToken(Tensor x, Tensor cls, Tensor out) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void prependTokenBackward(Tensor dOut, Tensor dx, Tensor dCls) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void maskTokensForward(Tensor x, Tensor mask, Tensor maskEmbedding, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void maskTokensBackward(Tensor dy, Tensor mask, Tensor dx, Tensor dMaskEmbedding) {
        throw new UnsupportedOperationException("not yet");
    }

}
