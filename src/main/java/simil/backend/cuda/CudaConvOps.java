package simil.backend.cuda;


import simil.tensor.ConvOps;
import simil.tensor.Tensor;

/** ConvOps on the GPU: our kernels in kernels/ (being written). */
final class CudaConvOps implements ConvOps {
    private final CudaBackend backend;

    CudaConvOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void conv2dForward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        throw new UnsupportedOperationException("CudaConvOps.conv2dForward: not yet on the GPU");
    }

    @Override
    public void conv2dBackwardData(Conv2dShape s, Tensor dy, Tensor weight, Tensor dx) {
        throw new UnsupportedOperationException("CudaConvOps.conv2dBackwardData: not yet on the GPU");
    }

    @Override
    public void conv2dBackwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight, Tensor dBias) {
        throw new UnsupportedOperationException("CudaConvOps.conv2dBackwardWeights: not yet on the GPU");
    }

    @Override
    public void maxPoolForward(Pool2dShape s, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CudaConvOps.maxPoolForward: not yet on the GPU");
    }

    @Override
    public void maxPoolBackward(Pool2dShape s, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("CudaConvOps.maxPoolBackward: not yet on the GPU");
    }

    @Override
    public void extractPatches(Tensor images, int patch, Tensor out) {
        throw new UnsupportedOperationException("CudaConvOps.extractPatches: not yet on the GPU");
    }

}
