package simil.backend.cuda;


import simil.tensor.NormOps;
import simil.tensor.Tensor;

/** NormOps on the GPU: our kernels in kernels/ (being written). */
final class CudaNormOps implements NormOps {
    private final CudaBackend backend;

    CudaNormOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd, Tensor runningMean, Tensor runningVar, float momentum, float eps) {
        throw new UnsupportedOperationException("CudaNormOps.batchNormForwardTraining: not yet on the GPU");
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float eps, Tensor y) {
        throw new UnsupportedOperationException("CudaNormOps.batchNormForwardInference: not yet on the GPU");
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dGamma, Tensor dBeta) {
        throw new UnsupportedOperationException("CudaNormOps.batchNormBackward: not yet on the GPU");
    }

    @Override
    public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor invStd) {
        throw new UnsupportedOperationException("CudaNormOps.layerNormForward: not yet on the GPU");
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor mean, Tensor invStd, Tensor dx, Tensor dGamma, Tensor dBeta) {
        throw new UnsupportedOperationException("CudaNormOps.layerNormBackward: not yet on the GPU");
    }

    @Override
    public void standardizeRows(Tensor x, float eps, Tensor y, Tensor mean, Tensor scale) {
        throw new UnsupportedOperationException("CudaNormOps.standardizeRows: not yet on the GPU");
    }

}
