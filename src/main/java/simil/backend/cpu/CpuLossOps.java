package simil.backend.cpu;

import simil.tensor.Tensor;
import simil.tensor.LossOps;

final class CpuLossOps implements LossOps {
    @Override
    public float bceWithLogits(Tensor logits, Tensor targets, Tensor dLogits) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public float softmaxCrossEntropy(Tensor logits, Tensor targets, Tensor mask, float labelSmoothing, Tensor dLogits) {
        throw new UnsupportedOperationException("not yet");
    }

}
