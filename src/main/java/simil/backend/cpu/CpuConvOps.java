package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;

import java.util.Arrays;
import simil.tensor.ConvOps;
import simil.tensor.Tensor;

/**
 * Convolution as im2col + OpenBLAS sgemm (col2im for the data gradient), or by Winograd's minimal
 * filtering for stride-1 3×3 and 5×5 kernels ({@link WinogradConv}), or directly for stride-1 layers with
 * few input channels ({@link DirectConv}); pooling in C ({@link NativePool}).
 *
 * <p>The batch is cut into chunks of a few images whose column matrix [C·R·S, images·P·Q] fits in a
 * core's cache; the chunks run in parallel on the backend's threads, each one unfolding its images and
 * multiplying them in one sgemm on its own thread's scratch. Chunks are fixed by the shape, not by the
 * thread count, and weight gradients are summed over chunks in chunk order, so results do not depend on
 * the thread count. Whole chunks per thread (rather than one sgemm split across threads) keep a core busy
 * with its own data and degrade gracefully when other processes share the cores. OpenBLAS should then
 * run each call on the calling thread (OPENBLAS_NUM_THREADS=1): two multi-threaded sgemms at once
 * oversubscribe the cores and run several times slower.
 */
final class CpuConvOps implements ConvOps {
    /** Column-matrix floats per chunk (2 MiB): a chunk's unfolded images stay in its core's cache. */
    private static final int COL_CHUNK_FLOATS = 1 << 19;

    private final CpuBackend backend;
    /**
     * Stride-1 3×3 and 5×5 convolutions (MatchNet's conv2–conv5) go through Winograd: F(4×4, 3×3) does
     * 36 multiplications per 4×4 tile and channel pair where im2col does 144, F(4×4, 5×5) 64 where it does
     * 400. Measured, bench/RESULTS.md: 1.6–2.1× faster per layer; rounding error within 1e-5 of the
     * largest output. Not for the 7×7 first layer: with 3 input channels its tile transforms cost more
     * than the products they save (6× slower, measured).
     */
    private final WinogradConv winograd3x3, winograd5x5;
    /** Stride-1 layers with at most 4 input channels (MatchNet's conv1): forward and weight gradient, direct. */
    private final DirectConv direct;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final WeightGradPartials weightGradPartials;

    CpuConvOps(CpuBackend backend) {
        this.backend = backend;
        this.winograd3x3 = new WinogradConv(backend, 4, 3);
        this.winograd5x5 = new WinogradConv(backend, 4, 5);
        this.direct = new DirectConv(backend);
        this.weightGradPartials = new WeightGradPartials(backend);
    }

    /** One thread's column matrix and product buffers, grown on demand and kept between calls. */
    private final class Scratch {
        private Tensor col, product;

        Tensor col(int floats) {
            if (col == null || col.size() < floats) col = backend.zeros(floats);
            return col;
        }

        Tensor product(int floats) {
            if (product == null || product.size() < floats) product = backend.zeros(floats);
            return product;
        }
    }

    @Override
    public void conv2dForward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        s.check(x, weight, y);
        WinogradConv winograd = winograd(s);
        if (winograd != null) {
            winograd.forward(s, x, weight, bias, y);
            return;
        }
        if (DirectConv.handles(s)) {
            direct.forward(s, x, weight, bias, y);
            return;
        }
        int k = s.outChannels(), crs = colRows(s), pq = s.outHeight() * s.outWidth(), chunk = imagesPerChunk(s);
        Parallel.forRange(chunks(s), 1, (from, to) -> {
            Tensor col = scratch.get().col(chunk * crs * pq), product = scratch.get().product(chunk * k * pq);
            for (int i = from; i < to; i++) {
                int n0 = i * chunk, images = Math.min(chunk, s.batch() - n0), cols = images * pq;
                im2col(s, x, n0, images, col);
                backend.blas().gemm(false, false, k, cols, crs, 1f, weight, 0, crs, col, 0, cols, 0f, product, 0, cols);
                productToImages(product, bias, y, n0, images, k, pq);
            }
        });
    }

    @Override
    public void conv2dBackwardData(Conv2dShape s, Tensor dy, Tensor weight, Tensor dx) {
        s.check(dx, weight, dy);
        WinogradConv winograd = winograd(s);
        if (winograd != null) {
            winograd.backwardData(s, dy, weight, dx);
            return;
        }
        int k = s.outChannels(), crs = colRows(s), pq = s.outHeight() * s.outWidth(), chunk = imagesPerChunk(s);
        Parallel.forRange(chunks(s), 1, (from, to) -> {
            Tensor col = scratch.get().col(chunk * crs * pq), product = scratch.get().product(chunk * k * pq);
            for (int i = from; i < to; i++) {
                int n0 = i * chunk, images = Math.min(chunk, s.batch() - n0), cols = images * pq;
                imagesToProduct(dy, n0, images, k, pq, product);
                backend.blas().gemm(true, false, crs, cols, k, 1f, weight, 0, crs, product, 0, cols, 0f, col, 0, cols);
                col2im(s, col, n0, images, dx);
            }
        });
    }

    /** Winograd shapes compute both gradients chunk by chunk, transforming dy once for both. */
    @Override
    public void conv2dBackward(Conv2dShape s, Tensor x, Tensor dy, Tensor weight, Tensor dx, Tensor dWeight, Tensor dBias) {
        WinogradConv winograd = winograd(s);
        if (winograd == null || dx == null) {
            ConvOps.super.conv2dBackward(s, x, dy, weight, dx, dWeight, dBias);
            return;
        }
        s.check(x, dWeight, dy);
        s.check(dx, weight, dy);
        winograd.backward(s, x, dy, weight, dx, dWeight);
        if (dBias != null) accumulateBiasGrad(s, dy, dBias);
    }

    /** Each chunk writes its own partial dWeight; the partials are then added to dWeight in chunk order. */
    @Override
    public synchronized void conv2dBackwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight, Tensor dBias) {
        s.check(x, dWeight, dy);
        WinogradConv winograd = winograd(s);
        if (winograd != null) {
            winograd.backwardWeights(s, x, dy, dWeight);
            if (dBias != null) accumulateBiasGrad(s, dy, dBias);
            return;
        }
        if (DirectConv.handles(s)) {
            direct.backwardWeights(s, x, dy, dWeight);
            if (dBias != null) accumulateBiasGrad(s, dy, dBias);
            return;
        }
        int k = s.outChannels(), crs = colRows(s), pq = s.outHeight() * s.outWidth(), chunk = imagesPerChunk(s);
        int chunks = chunks(s), wSize = k * crs;
        Tensor partials = weightGradPartials.reserve(chunks, wSize);
        Parallel.forRange(chunks, 1, (from, to) -> {
            Tensor col = scratch.get().col(chunk * crs * pq), product = scratch.get().product(chunk * k * pq);
            for (int i = from; i < to; i++) {
                int n0 = i * chunk, images = Math.min(chunk, s.batch() - n0), cols = images * pq;
                im2col(s, x, n0, images, col);
                imagesToProduct(dy, n0, images, k, pq, product);
                backend.blas().gemm(false, true, k, crs, cols, 1f, product, 0, cols, col, 0, cols, 0f, partials, i * wSize, crs);
            }
        });
        weightGradPartials.addInOrder(chunks, dWeight);
        if (dBias != null) accumulateBiasGrad(s, dy, dBias);
    }

    /** Natively (NativePool): per output row, the window rows' column-wise max, then each window's max over it. */
    @Override
    public void maxPoolForward(Pool2dShape s, Tensor x, Tensor y) {
        s.check(x, y);
        float[] xd = data(x), yd = data(y);
        Parallel.forRange(s.batch() * s.channels(), 1, (from, to) -> {
            int status = NativePool.maxPoolForward(backend.isa().code(), xd, x.offset(), yd, y.offset(), from, to,
                    s.height(), s.width(), s.outHeight(), s.outWidth(), s.kernel(), s.stride(), s.padding());
            if (status == -2) throw new OutOfMemoryError("max pool forward: native scratch allocation failed");
        });
    }

    /** Natively (NativePool): there the search for each window's maximum runs in vector compares, 4× faster. */
    @Override
    public void maxPoolBackward(Pool2dShape s, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        s.check(x, y);
        if (!dy.sameShape(y) || !dx.sameShape(x)) throw new IllegalArgumentException("max pool backward: dy " + dy + ", dx " + dx);
        float[] xd = data(x), yd = data(y), dyd = data(dy), dxd = data(dx);
        Parallel.forRange(s.batch() * s.channels(), 1, (from, to) -> {
            int bad = NativePool.maxPoolBackward(backend.isa().code(), xd, x.offset(), yd, y.offset(), dyd, dy.offset(), dxd, dx.offset(), from, to,
                    s.height(), s.width(), s.outHeight(), s.outWidth(), s.kernel(), s.stride(), s.padding());
            if (bad == -2) throw new OutOfMemoryError("max pool backward: native scratch allocation failed");
            if (bad >= 0) throw new IllegalStateException("max pool backward: y is not the max pool of x (plane " + bad + ")");
        });
    }

    /** The Winograd algorithm for this shape, or null where im2col computes it (strides, other kernels). */
    private WinogradConv winograd(Conv2dShape s) {
        if (winograd3x3.handles(s)) return winograd3x3;
        if (winograd5x5.handles(s)) return winograd5x5;
        return null;
    }

    /** Rows of the column matrix: one per (input channel, kernel row, kernel column). */
    private static int colRows(Conv2dShape s) {
        return s.inChannels() * s.kernelH() * s.kernelW();
    }

    private static int imagesPerChunk(Conv2dShape s) {
        long perImage = (long) colRows(s) * s.outHeight() * s.outWidth();
        return (int) Math.max(1, Math.min(s.batch(), COL_CHUNK_FLOATS / perImage));
    }

    private static int chunks(Conv2dShape s) {
        int chunk = imagesPerChunk(s);
        return (s.batch() + chunk - 1) / chunk;
    }

    /** col[(c, r, s)][(b, oy, ox)] = x[n0 + b, c, oy·stride − pad + r, ox·stride − pad + s], 0 in the padding. */
    private static void im2col(Conv2dShape s, Tensor x, int n0, int images, Tensor col) {
        float[] xd = data(x), cd = data(col);
        int c = s.inChannels(), h = s.height(), w = s.width(), kh = s.kernelH(), kw = s.kernelW();
        int p = s.outHeight(), q = s.outWidth(), stride = s.stride(), pad = s.padding();
        int xo = x.offset() + n0 * c * h * w, co = col.offset(), ld = images * p * q;
        for (int plane = 0; plane < images * c; plane++) {
            int src = xo + plane * h * w;
            int rowBase = co + (plane % c) * kh * kw * ld + (plane / c) * p * q;
            for (int r = 0; r < kh; r++) {
                for (int t = 0; t < kw; t++) {
                    int dst = rowBase + (r * kw + t) * ld;
                    // Output columns [lo, hi) read inside the image; the rest read padding.
                    int lo = Math.min(q, Math.max(0, ceilDiv(pad - t, stride)));
                    int hi = Math.max(lo, Math.min(q, ceilDiv(w + pad - t, stride)));
                    for (int oy = 0; oy < p; oy++, dst += q) {
                        int iy = oy * stride - pad + r;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cd, dst, dst + q, 0f);
                            continue;
                        }
                        Arrays.fill(cd, dst, dst + lo, 0f);
                        int rowStart = src + iy * w - pad + t;
                        if (stride == 1) {
                            System.arraycopy(xd, rowStart + lo, cd, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) cd[dst + ox] = xd[rowStart + ox * stride];
                        }
                        Arrays.fill(cd, dst + hi, dst + q, 0f);
                    }
                }
            }
        }
    }

    /** dx[n0 + b, c] = Σ over (r, s) of col[(c, r, s)][(b, ·, ·)] scattered back to the pixels it was read from. */
    private static void col2im(Conv2dShape s, Tensor col, int n0, int images, Tensor dx) {
        float[] dd = data(dx), cd = data(col);
        int c = s.inChannels(), h = s.height(), w = s.width(), kh = s.kernelH(), kw = s.kernelW();
        int p = s.outHeight(), q = s.outWidth(), stride = s.stride(), pad = s.padding();
        int dxo = dx.offset() + n0 * c * h * w, co = col.offset(), ld = images * p * q;
        for (int plane = 0; plane < images * c; plane++) {
            int dst = dxo + plane * h * w;
            int rowBase = co + (plane % c) * kh * kw * ld + (plane / c) * p * q;
            Arrays.fill(dd, dst, dst + h * w, 0f);
            for (int r = 0; r < kh; r++) {
                for (int t = 0; t < kw; t++) {
                    int src = rowBase + (r * kw + t) * ld;
                    int lo = Math.min(q, Math.max(0, ceilDiv(pad - t, stride)));
                    int hi = Math.max(lo, Math.min(q, ceilDiv(w + pad - t, stride)));
                    for (int oy = 0; oy < p; oy++, src += q) {
                        int iy = oy * stride - pad + r;
                        if (iy < 0 || iy >= h) continue;
                        int rowStart = dst + iy * w - pad + t;
                        if (stride == 1) {
                            for (int ox = lo; ox < hi; ox++) dd[rowStart + ox] += cd[src + ox];
                        } else {
                            for (int ox = lo; ox < hi; ox++) dd[rowStart + ox * stride] += cd[src + ox];
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** y[n0 + b, k] = product[k][(b, ·)] + bias[k] (no bias when null). */
    private static void productToImages(Tensor product, Tensor bias, Tensor y, int n0, int images, int k, int pq) {
        float[] pd = data(product), yd = data(y), bd = bias == null ? null : data(bias);
        int po = product.offset(), yo = y.offset() + n0 * k * pq, bo = bias == null ? 0 : bias.offset(), ld = images * pq;
        for (int i = 0; i < images * k; i++) {
            int b = i / k, ch = i % k, src = po + ch * ld + b * pq, dst = yo + i * pq;
            if (bd == null) {
                System.arraycopy(pd, src, yd, dst, pq);
            } else {
                float add = bd[bo + ch];
                for (int j = 0; j < pq; j++) yd[dst + j] = pd[src + j] + add;
            }
        }
    }

    /** product[k][(b, ·)] = dy[n0 + b, k]: a chunk of NCHW gradients as one [K, images·P·Q] matrix. */
    private static void imagesToProduct(Tensor dy, int n0, int images, int k, int pq, Tensor product) {
        float[] dd = data(dy), pd = data(product);
        int dyo = dy.offset() + n0 * k * pq, po = product.offset(), ld = images * pq;
        for (int i = 0; i < images * k; i++) System.arraycopy(dd, dyo + i * pq, pd, po + (i % k) * ld + (i / k) * pq, pq);
    }

    /** dBias[k] += Σ over images and pixels of dy[n, k]: one task per channel, each summing in a fixed order. */
    private static void accumulateBiasGrad(Conv2dShape s, Tensor dy, Tensor dBias) {
        int k = s.outChannels(), pq = s.outHeight() * s.outWidth();
        if (dBias.size() != k) throw new IllegalArgumentException("bias gradient " + dBias + " for " + k + " channels");
        float[] dyd = data(dy), bd = data(dBias);
        int dyo = dy.offset(), bo = dBias.offset();
        Parallel.forRange(k, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int n = 0; n < s.batch(); n++) {
                    int base = dyo + (n * k + ch) * pq;
                    float plane = 0;
                    for (int i = 0; i < pq; i++) plane += dyd[base + i];
                    sum += plane;
                }
                bd[bo + ch] += (float) sum;
            }
        });
    }

    @Override
    public void extractPatches(Tensor images, int patch, Tensor out) {
        int batch = images.dim(0), channels = images.dim(1), side = images.dim(2);
        if (images.rank() != 4 || images.dim(3) != side || patch <= 0 || side % patch != 0) {
            throw new IllegalArgumentException("patches of " + patch + " from " + images + ": square images of a multiple of the patch");
        }
        int grid = side / patch, dim = channels * patch * patch, plane = side * side;
        out.requireShape("patches", batch * grid * grid, dim);
        float[] xd = CpuBackend.data(images), od = CpuBackend.data(out);
        int xo = images.offset(), oo = out.offset();
        Parallel.forRange(batch, 1, (b0, b1) -> {
            for (int n = b0; n < b1; n++) {
                int image = xo + n * channels * plane;
                for (int gy = 0; gy < grid; gy++) for (int gx = 0; gx < grid; gx++) {
                    int row = oo + ((n * grid + gy) * grid + gx) * dim;
                    for (int c = 0; c < channels; c++) for (int y = 0; y < patch; y++) {
                        System.arraycopy(xd, image + c * plane + (gy * patch + y) * side + gx * patch, od, row + (c * patch + y) * patch, patch);
                    }
                }
            }
        });
    }
}
