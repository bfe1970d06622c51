package simil.backend.cuda;


import simil.tensor.ActivationOps;
import simil.tensor.Tensor;

/** ActivationOps on the GPU: our kernels in kernels/ (being written). */
final class CudaActivationOps implements ActivationOps {
    private final CudaBackend backend;

    CudaActivationOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void reluForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CudaActivationOps.reluForward: not yet on the GPU");
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("CudaActivationOps.reluBackward: not yet on the GPU");
    }

    @Override
    public void geluForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CudaActivationOps.geluForward: not yet on the GPU");
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("CudaActivationOps.geluBackward: not yet on the GPU");
    }

    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CudaActivationOps.softmaxForward: not yet on the GPU");
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("CudaActivationOps.softmaxBackward: not yet on the GPU");
    }

}
