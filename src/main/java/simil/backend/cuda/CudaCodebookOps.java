package simil.backend.cuda;


import simil.tensor.CodebookOps;
import simil.tensor.Tensor;

/** CodebookOps on the GPU: our kernels in kernels/ (being written). */
final class CudaCodebookOps implements CodebookOps {
    private final CudaBackend backend;

    CudaCodebookOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void nearest(Tensor x, Tensor codebook, Tensor codes, Tensor distances) {
        throw new UnsupportedOperationException("CudaCodebookOps.nearest: not yet on the GPU");
    }

    @Override
    public void countCodes(Tensor codes, Tensor counts) {
        throw new UnsupportedOperationException("CudaCodebookOps.countCodes: not yet on the GPU");
    }

    @Override
    public void kMeansUpdate(Tensor x, Tensor codes, Tensor centroids, Tensor counts) {
        throw new UnsupportedOperationException("CudaCodebookOps.kMeansUpdate: not yet on the GPU");
    }

}
