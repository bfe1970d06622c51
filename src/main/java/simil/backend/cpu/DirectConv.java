package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;

import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/**
 * Direct convolution for stride-1 layers with few input channels (MatchNet's first layer, 3 → 24 with a
 * 7×7 kernel): forward and weight gradient, one image at a time, natively ({@link NativeDirectConv}). With
 * three input channels im2col's column matrix is 147 times the image and sgemm waits on memory; here each
 * multiply-add reads a padded copy of the image from cache. The data gradient stays on im2col: a first layer
 * never needs it.
 *
 * <p>Weight gradients are summed in {@link #WEIGHT_GRAD_GROUPS} groups of consecutive images fixed by the
 * batch size, each into its own partial, then the partials in group order: results do not depend on the
 * thread count.
 */
final class DirectConv {
    /** At most this many input channels: beyond, im2col's column matrix is short enough for sgemm to win. */
    static final int MAX_IN_CHANNELS = 4;
    private static final int WEIGHT_GRAD_GROUPS = 8;

    private final WeightGradPartials weightGradPartials;
    private final int isa;

    DirectConv(CpuBackend backend) {
        this.isa = backend.isa().code();
        this.weightGradPartials = new WeightGradPartials(backend);
    }

    /** Whether this algorithm computes {@code s}: stride 1 and few input channels. */
    static boolean handles(Conv2dShape s) {
        return s.stride() == 1 && s.inChannels() <= MAX_IN_CHANNELS;
    }

    void forward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        float[] xd = data(x), wd = data(weight), yd = data(y), bd = bias == null ? null : data(bias);
        int bo = bias == null ? 0 : bias.offset();
        Parallel.forRange(s.batch(), 1, (from, to) -> check(NativeDirectConv.forward(isa, xd, x.offset(), wd, weight.offset(),
                bd, bo, yd, y.offset(), from, to, s.inChannels(), s.height(), s.width(), s.outChannels(), s.kernelH(),
                s.kernelW(), s.padding())));
    }

    /** dWeight += the weight gradient (dBias is the caller's). */
    synchronized void backwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight) {
        int groups = Math.min(s.batch(), WEIGHT_GRAD_GROUPS), wSize = dWeight.size();
        Tensor partials = weightGradPartials.reserve(groups, wSize);
        float[] xd = data(x), dyd = data(dy), pd = data(partials);
        int po = partials.offset();
        Parallel.forRange(groups, 1, (from, to) -> {
            for (int g = from; g < to; g++) {
                int first = g * s.batch() / groups, last = (g + 1) * s.batch() / groups;
                check(NativeDirectConv.backwardWeights(isa, xd, x.offset(), dyd, dy.offset(), pd, po + g * wSize, first, last,
                        s.inChannels(), s.height(), s.width(), s.outChannels(), s.kernelH(), s.kernelW(), s.padding()));
            }
        });
        weightGradPartials.addInOrder(groups, dWeight);
    }

    private static void check(int status) {
        if (status != 0) throw new OutOfMemoryError("direct convolution: native scratch allocation failed");
    }
}
