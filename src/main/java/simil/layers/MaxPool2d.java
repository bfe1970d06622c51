package simil.layers;

import simil.tensor.Backend;
import simil.tensor.ConvOps.Pool2dShape;
import simil.tensor.Tensor;

/** Max pooling over NCHW input with a square window; padded positions never win a max. */
public final class MaxPool2d implements Layer {
    private final Backend backend;
    private final int kernel, stride, padding;
    private Pool2dShape shape;
    private Tensor x, y, dx;

    public MaxPool2d(Backend backend, int kernel, int stride, int padding) {
        this.backend = backend;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public int kernel() { return kernel; }
    public int stride() { return stride; }
    public int padding() { return padding; }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (x.rank() != 4) throw new IllegalArgumentException("max pool: input " + x + " is not [N, C, H, W]");
        this.x = x;
        shape = new Pool2dShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel, stride, padding);
        y = Buffers.reuse(backend, y, shape.batch(), shape.channels(), shape.outHeight(), shape.outWidth());
        backend.conv().maxPoolForward(shape, x, y);
        return y;
    }

    /** Routes each output's gradient to the first maximum of its window (found again from x and y). */
    @Override
    public Tensor backward(Tensor dy) {
        dx = Buffers.reuse(backend, dx, x.shape());
        backend.conv().maxPoolBackward(shape, x, y, dy, dx);
        return dx;
    }
}
