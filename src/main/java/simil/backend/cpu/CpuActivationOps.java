package simil.backend.cpu;

import simil.tensor.Tensor;
import simil.tensor.ActivationOps;

final class CpuActivationOps implements ActivationOps {
    @Override
    public void reluForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void geluForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void dropoutForward(Tensor x, Tensor y, Tensor mask, float p, long seed) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

}
