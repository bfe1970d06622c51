package simil.backend.cuda;

import simil.tensor.ConvOps;
import simil.tensor.Tensor;

/**
 * Convolutions by cuDNN through the {@link Gpu} seam (forward, data gradient overwriting dx, weight gradient
 * accumulated with beta = 1), their bias and its gradient, max pooling and patch extraction by our kernels
 * (kernels/conv.cu). Pooling's backward pass gathers per input, so its sums are the CPU's bit for bit; a y that is
 * not the max pool of x is refused at the next synchronize ({@link DeviceCheck}).
 */
final class CudaConvOps implements ConvOps {
    private static final Kernel ADD_BIAS = Kernel.named("conv_add_bias");
    private static final Kernel BIAS_BACKWARD = Kernel.named("conv_bias_backward");
    private static final Kernel MAX_POOL_FORWARD = Kernel.named("conv_max_pool_forward");
    private static final Kernel MAX_POOL_BACKWARD = Kernel.named("conv_max_pool_backward");
    private static final Kernel EXTRACT_PATCHES = Kernel.named("conv_extract_patches");
    private static final DeviceCheck NOT_MAX_POOL = DeviceCheck.of(IllegalStateException::new,
            "max pool backward: y is not the max pool of x");
    /** Threads per channel of the bias gradient (conv_bias_backward's shared array). */
    private static final int BIAS_THREADS = 256;

    private final CudaBackend backend;

    CudaConvOps(CudaBackend backend) {
        this.backend = backend;
    }

    @Override
    public void conv2dForward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        s.check(x, weight, y);
        if (bias != null && bias.size() != s.outChannels()) throw new IllegalArgumentException("bias " + bias + " for " + s.outChannels() + " channels");
        if (s.batch() == 0) return;
        backend.gpu().convForward(s, backend.floats(x), backend.floats(weight), backend.floats(y));
        if (bias == null) return;
        int plane = s.outHeight() * s.outWidth();
        long total = (long) y.size();
        backend.launch(ADD_BIAS, Launch.overElements(total), backend.args().pointer(backend.floats(y))
                .pointer(backend.floats(bias)).i32(s.outChannels()).i32(plane).i64(total));
    }

    @Override
    public void conv2dBackwardData(Conv2dShape s, Tensor dy, Tensor weight, Tensor dx) {
        s.check(dx, weight, dy);
        if (s.batch() == 0) return;
        backend.gpu().convBackwardData(s, backend.floats(dy), backend.floats(weight), backend.floats(dx));
    }

    @Override
    public void conv2dBackwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight, Tensor dBias) {
        s.check(x, dWeight, dy);
        int k = s.outChannels();
        if (dBias != null && dBias.size() != k) throw new IllegalArgumentException("bias gradient " + dBias + " for " + k + " channels");
        if (s.batch() == 0) return;
        backend.gpu().convBackwardFilter(s, backend.floats(x), backend.floats(dy), 1f, backend.floats(dWeight));
        if (dBias == null) return;
        backend.launch(BIAS_BACKWARD, Launch.perRow(k, BIAS_THREADS, 0), backend.args().pointer(backend.floats(dy))
                .pointer(backend.floats(dBias)).i32(s.batch()).i32(k).i32(s.outHeight() * s.outWidth()));
    }

    @Override
    public void maxPoolForward(Pool2dShape s, Tensor x, Tensor y) {
        s.check(x, y);
        long total = y.size();
        backend.launch(MAX_POOL_FORWARD, Launch.overElements(total), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(y)).i32(s.height()).i32(s.width()).i32(s.outHeight()).i32(s.outWidth())
                .i32(s.kernel()).i32(s.stride()).i32(s.padding()).i64(total));
    }

    @Override
    public void maxPoolBackward(Pool2dShape s, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        s.check(x, y);
        if (!dy.sameShape(y) || !dx.sameShape(x)) throw new IllegalArgumentException("max pool backward: dy " + dy + ", dx " + dx);
        long total = x.size();
        backend.launch(MAX_POOL_BACKWARD, Launch.overElements(total), backend.args().pointer(backend.floats(x))
                .pointer(backend.floats(y)).pointer(backend.floats(dy)).pointer(backend.floats(dx))
                .i32(s.height()).i32(s.width()).i32(s.outHeight()).i32(s.outWidth())
                .i32(s.kernel()).i32(s.stride()).i32(s.padding()).i64(total)
                .pointer(backend.failureWord()).i32(NOT_MAX_POOL.code()));
    }

    @Override
    public void extractPatches(Tensor images, int patch, Tensor out) {
        int batch = images.dim(0), channels = images.dim(1), side = images.dim(2);
        if (images.rank() != 4 || images.dim(3) != side || patch <= 0 || side % patch != 0) {
            throw new IllegalArgumentException("patches of " + patch + " from " + images + ": square images of a multiple of the patch");
        }
        int grid = side / patch;
        out.requireShape("patches", batch * grid * grid, channels * patch * patch);
        long total = out.size();
        backend.launch(EXTRACT_PATCHES, Launch.overElements(total), backend.args().pointer(backend.floats(images))
                .pointer(backend.floats(out)).i32(channels).i32(side).i32(patch).i64(total));
    }
}
