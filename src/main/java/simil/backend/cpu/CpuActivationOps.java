package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;
import static simil.backend.cpu.CpuBackend.requireSameSize;

import simil.tensor.ActivationOps;
import simil.tensor.Tensor;

/** ReLU, GELU (native, {@link NativeGelu}) and softmax. */
final class CpuActivationOps implements ActivationOps {
    /** Below this many elements a loop is cheaper than waking a second thread. */
    private static final int GRAIN = 1 << 15;

    /** The {@link Isa#code()} of the GELU kernels. */
    private final int isa;

    CpuActivationOps(Isa isa) {
        this.isa = isa.code();
    }

    @Override
    public void reluForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        float[] xd = data(x), yd = data(y);
        int xo = x.offset(), yo = y.offset();
        Parallel.forRange(x.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) yd[yo + i] = Math.max(xd[xo + i], 0f);
        });
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        float[] yd = data(y), dyd = data(dy), dxd = data(dx);
        int yo = y.offset(), dyo = dy.offset(), dxo = dx.offset();
        Parallel.forRange(y.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) dxd[dxo + i] = yd[yo + i] > 0f ? dyd[dyo + i] : 0f;
        });
    }

    @Override
    public void geluForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        float[] xd = data(x), yd = data(y);
        int xo = x.offset(), yo = y.offset();
        Parallel.forRange(x.size(), GRAIN / 8, (from, to) -> NativeGelu.forward(isa, xd, xo + from, yd, yo + from, to - from));
    }

    @Override
    public void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        requireSameSize(x, dy);
        requireSameSize(x, dx);
        float[] xd = data(x), dyd = data(dy), dxd = data(dx);
        int xo = x.offset(), dyo = dy.offset(), dxo = dx.offset();
        Parallel.forRange(x.size(), GRAIN / 8, (from, to) ->
                NativeGelu.backward(isa, xd, xo + from, dyd, dyo + from, dxd, dxo + from, to - from));
    }

    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        int cols = x.dim(-1), rows = x.size() / cols;
        float[] xd = data(x), yd = data(y);
        int xo = x.offset(), yo = y.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / 4 / cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int xb = xo + r * cols, yb = yo + r * cols;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) max = Math.max(max, xd[xb + c]);
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    float e = (float) Math.exp(xd[xb + c] - max);
                    yd[yb + c] = e;
                    sum += e;
                }
                float inv = (float) (1 / sum);
                for (int c = 0; c < cols; c++) yd[yb + c] *= inv;
            }
        });
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        int cols = y.dim(-1), rows = y.size() / cols;
        float[] yd = data(y), dyd = data(dy), dxd = data(dx);
        int yo = y.offset(), dyo = dy.offset(), dxo = dx.offset();
        Parallel.forRange(rows, Math.max(1, GRAIN / 4 / cols), (from, to) -> {
            for (int r = from; r < to; r++) {
                int yb = yo + r * cols, db = dyo + r * cols, xb = dxo + r * cols;
                double dot = 0;
                for (int c = 0; c < cols; c++) dot += (double) dyd[db + c] * yd[yb + c];
                float s = (float) dot;
                for (int c = 0; c < cols; c++) dxd[xb + c] = yd[yb + c] * (dyd[db + c] - s);
            }
        });
    }
}
