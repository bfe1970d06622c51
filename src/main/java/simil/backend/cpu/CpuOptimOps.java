package simil.backend.cpu;

import simil.tensor.Tensor;
import simil.tensor.OptimOps;

final class CpuOptimOps implements OptimOps {
    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                  float weightDecay, boolean decoupled, int step) {
        throw new UnsupportedOperationException("not yet");
    }

}
