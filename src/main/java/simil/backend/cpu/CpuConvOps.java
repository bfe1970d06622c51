package simil.backend.cpu;

import simil.tensor.Tensor;
import simil.tensor.ConvOps;

final class CpuConvOps implements ConvOps {
    CpuConvOps(CpuBackend backend) {}

    @Override
    public void conv2dForward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void conv2dBackwardData(Conv2dShape s, Tensor dy, Tensor weight, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void conv2dBackwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight, Tensor dBias) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void maxPoolForward(Pool2dShape s, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void maxPoolBackward(Pool2dShape s, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        throw new UnsupportedOperationException("not yet");
    }

}
