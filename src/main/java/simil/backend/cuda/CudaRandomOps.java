package simil.backend.cuda;


import simil.tensor.RandomOps;
import simil.tensor.Tensor;
import simil.tensor.*;

/** RandomOps on the GPU: our kernels in kernels/ (being written). */
final class CudaRandomOps implements RandomOps {
    private final CudaBackend backend;

    CudaRandomOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void uniform(Tensor t, float low, float high, long seed) {
        throw new UnsupportedOperationException("CudaRandomOps.uniform: not yet on the GPU");
    }

    @Override
    public void normal(Tensor t, float mean, float std, long seed) {
        throw new UnsupportedOperationException("CudaRandomOps.normal: not yet on the GPU");
    }

    @Override
    public void truncatedNormal(Tensor t, float mean, float std, long seed) {
        throw new UnsupportedOperationException("CudaRandomOps.truncatedNormal: not yet on the GPU");
    }

    @Override
    public void keepMask(Tensor mask, float p, long seed) {
        throw new UnsupportedOperationException("CudaRandomOps.keepMask: not yet on the GPU");
    }

    @Override
    public void blockwiseMask(Tensor images, BlockwiseMasking masking, long seed, Tensor mask) {
        throw new UnsupportedOperationException("CudaRandomOps.blockwiseMask: not yet on the GPU");
    }

}
