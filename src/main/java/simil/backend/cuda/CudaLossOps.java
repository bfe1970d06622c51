package simil.backend.cuda;


import simil.tensor.LossOps;
import simil.tensor.Tensor;

/** LossOps on the GPU: our kernels in kernels/ (being written). */
final class CudaLossOps implements LossOps {
    private final CudaBackend backend;

    CudaLossOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits, Tensor loss) {
        throw new UnsupportedOperationException("CudaLossOps.bceWithLogits: not yet on the GPU");
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits, Tensor loss) {
        throw new UnsupportedOperationException("CudaLossOps.softmaxCrossEntropy: not yet on the GPU");
    }

    @Override
    public void countArgmaxMatches(Tensor logits, Tensor targets, Tensor mask, Tensor out) {
        throw new UnsupportedOperationException("CudaLossOps.countArgmaxMatches: not yet on the GPU");
    }

    @Override
    public void countSignMatches(Tensor logits, Tensor targets, Tensor out) {
        throw new UnsupportedOperationException("CudaLossOps.countSignMatches: not yet on the GPU");
    }

}
