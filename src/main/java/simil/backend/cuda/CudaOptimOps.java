package simil.backend.cuda;


import simil.tensor.OptimOps;
import simil.tensor.Tensor;

/** OptimOps on the GPU: our kernels in kernels/ (being written). */
final class CudaOptimOps implements OptimOps {
    private final CudaBackend backend;

    CudaOptimOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor decayMask, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled, int step) {
        throw new UnsupportedOperationException("CudaOptimOps.adamStep: not yet on the GPU");
    }

}
