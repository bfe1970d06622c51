package simil.backend.cuda;


import simil.tensor.AttentionOps;
import simil.tensor.Tensor;

/** AttentionOps on the GPU: our kernels in kernels/ (being written). */
final class CudaAttentionOps implements AttentionOps {
    private final CudaBackend backend;

    CudaAttentionOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void attentionForward(Tensor q, Tensor k, Tensor v, Tensor bias, float scale, Tensor probs, Tensor out) {
        throw new UnsupportedOperationException("CudaAttentionOps.attentionForward: not yet on the GPU");
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor dOut, float scale, Tensor dScores, Tensor dq, Tensor dk, Tensor dv, Tensor dBias) {
        throw new UnsupportedOperationException("CudaAttentionOps.attentionBackward: not yet on the GPU");
    }

    @Override
    public void splitHeads(Tensor qkv, Tensor qkvBias, Tensor q, Tensor k, Tensor v) {
        throw new UnsupportedOperationException("CudaAttentionOps.splitHeads: not yet on the GPU");
    }

    @Override
    public void splitHeadsBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dQkv) {
        throw new UnsupportedOperationException("CudaAttentionOps.splitHeadsBackward: not yet on the GPU");
    }

    @Override
    public void mergeHeads(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CudaAttentionOps.mergeHeads: not yet on the GPU");
    }

    @Override
    public void mergeHeadsBackward(Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("CudaAttentionOps.mergeHeadsBackward: not yet on the GPU");
    }

    @Override
    public void relativePositionBias(Tensor table, Tensor index, Tensor out) {
        throw new UnsupportedOperationException("CudaAttentionOps.relativePositionBias: not yet on the GPU");
    }

    @Override
    public void relativePositionBiasBackward(Tensor index, Tensor dBias, Tensor dTable) {
        throw new UnsupportedOperationException("CudaAttentionOps.relativePositionBiasBackward: not yet on the GPU");
    }

    @Override
    public void embeddingForward(Tensor table, Tensor ids, Tensor out) {
        throw new UnsupportedOperationException("CudaAttentionOps.embeddingForward: not yet on the GPU");
    }

    @Override
    public void embeddingBackward(Tensor ids, Tensor dOut, Tensor dTable) {
        throw new UnsupportedOperationException("CudaAttentionOps.embeddingBackward: not yet on the GPU");
    }

    @Override
    public void prependToken(Tensor x, Tensor cls, Tensor out) {
        throw new UnsupportedOperationException("CudaAttentionOps.prependToken: not yet on the GPU");
    }

    @Override
    public void prependTokenBackward(Tensor dOut, Tensor dx, Tensor dCls) {
        throw new UnsupportedOperationException("CudaAttentionOps.prependTokenBackward: not yet on the GPU");
    }

    @Override
    public void maskTokensForward(Tensor x, Tensor mask, Tensor maskEmbedding, Tensor y) {
        throw new UnsupportedOperationException("CudaAttentionOps.maskTokensForward: not yet on the GPU");
    }

    @Override
    public void maskTokensBackward(Tensor dy, Tensor mask, Tensor dx, Tensor dMaskEmbedding) {
        throw new UnsupportedOperationException("CudaAttentionOps.maskTokensBackward: not yet on the GPU");
    }

}
