package simil.backend.cuda;


import simil.tensor.TensorOps;
import simil.tensor.Tensor;

/** TensorOps on the GPU: our kernels in kernels/ (being written). */
final class CudaTensorOps implements TensorOps {
    private final CudaBackend backend;

    CudaTensorOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void fill(Tensor t, float value) {
        throw new UnsupportedOperationException("CudaTensorOps.fill: not yet on the GPU");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        throw new UnsupportedOperationException("CudaTensorOps.copy: not yet on the GPU");
    }

    @Override
    public void scale(Tensor t, float alpha) {
        throw new UnsupportedOperationException("CudaTensorOps.scale: not yet on the GPU");
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("CudaTensorOps.axpy: not yet on the GPU");
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.add: not yet on the GPU");
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.multiply: not yet on the GPU");
    }

    @Override
    public void scaleRows(Tensor x, Tensor factors, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.scaleRows: not yet on the GPU");
    }

    @Override
    public void addRowVector(Tensor x, Tensor v) {
        throw new UnsupportedOperationException("CudaTensorOps.addRowVector: not yet on the GPU");
    }

    @Override
    public void sumRows(Tensor x, Tensor out, boolean accumulate) {
        throw new UnsupportedOperationException("CudaTensorOps.sumRows: not yet on the GPU");
    }

    @Override
    public void mulRowVector(Tensor x, Tensor g, Tensor y) {
        throw new UnsupportedOperationException("CudaTensorOps.mulRowVector: not yet on the GPU");
    }

    @Override
    public void mulRowVectorBackward(Tensor x, Tensor g, Tensor dy, Tensor dx, Tensor dg) {
        throw new UnsupportedOperationException("CudaTensorOps.mulRowVectorBackward: not yet on the GPU");
    }

    @Override
    public void concatColumns(Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.concatColumns: not yet on the GPU");
    }

    @Override
    public void splitColumns(Tensor in, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("CudaTensorOps.splitColumns: not yet on the GPU");
    }

    @Override
    public void flipLastDim(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.flipLastDim: not yet on the GPU");
    }

    @Override
    public void meanTokens(Tensor x, int from, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.meanTokens: not yet on the GPU");
    }

    @Override
    public void meanTokensBackward(Tensor dOut, int from, Tensor dx) {
        throw new UnsupportedOperationException("CudaTensorOps.meanTokensBackward: not yet on the GPU");
    }

    @Override
    public void pairSumRelu(Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.pairSumRelu: not yet on the GPU");
    }

    @Override
    public void sumOfSquares(Tensor x, Tensor out, boolean accumulate) {
        throw new UnsupportedOperationException("CudaTensorOps.sumOfSquares: not yet on the GPU");
    }

    @Override
    public void transposeLastTwo(Tensor x, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.transposeLastTwo: not yet on the GPU");
    }

    @Override
    public void normalizeChannels(Tensor x, Tensor mean, Tensor invStd, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.normalizeChannels: not yet on the GPU");
    }

    @Override
    public void gatherInts(Tensor src, Tensor ids, Tensor out) {
        throw new UnsupportedOperationException("CudaTensorOps.gatherInts: not yet on the GPU");
    }

    @Override
    public void maskedRows(Tensor mask, int rowStride, int rowOffset, Tensor rows, Tensor valid, Tensor count) {
        throw new UnsupportedOperationException("CudaTensorOps.maskedRows: not yet on the GPU");
    }

}
