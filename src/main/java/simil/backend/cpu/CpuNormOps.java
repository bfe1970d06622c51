package simil.backend.cpu;

import simil.tensor.Tensor;
import simil.tensor.NormOps;

final class CpuNormOps implements NormOps {
    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, Tensor y, Tensor saveMean, Tensor saveInvStd,
                                  Tensor runningMean, Tensor runningVar, float momentum, float eps) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   float eps, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor saveMean, Tensor saveInvStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void layerNormForward(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor invStd) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor mean, Tensor invStd,
                           Tensor dx, Tensor dGamma, Tensor dBeta) {
        throw new UnsupportedOperationException("not yet");
    }

}
