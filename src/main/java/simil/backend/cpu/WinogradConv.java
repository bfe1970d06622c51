package simil.backend.cpu;

import static simil.backend.cpu.CpuBackend.data;

import simil.tensor.ConvOps.Conv2dShape;
import simil.tensor.Tensor;

/**
 * Stride-1 convolution by Winograd's minimal filtering F(m×m, r×r): forward, data gradient and weight
 * gradient, each as α² independent matrix products over tiles instead of one im2col product.
 *
 * <p>The output is cut into m×m tiles, each read from an α×α input window (α = m + r − 1). Per tile and
 * channel the input becomes V = Bᵀ d B, per filter U = G g Gᵀ; then for each of the α² positions ξ of
 * the transformed tile, M_ξ[tiles, K] = V_ξ[tiles, C] · U_ξ[K, C]ᵀ (one strided-batched sgemm for all ξ),
 * and Y = Aᵀ M A. For F(4×4, 3×3) that is 36 products where im2col does 144 per tile and channel pair:
 * 4× fewer multiplications. The backward passes are the exact transposes of these linear maps:
 * dM = A dY Aᵀ; dV_ξ = dM_ξ U_ξ and dx += B dV Bᵀ (tiles overlap, so the scatter adds); dU_ξ = dM_ξᵀ V_ξ
 * and dW += Gᵀ dU G. The tile transforms run natively (native/simil_winograd.c, {@link NativeWinograd}).
 *
 * <p>Like the im2col path, the batch runs in chunks of whole images fixed by the shape, each chunk on one
 * thread with its transformed tiles in that core's cache, and weight gradients are summed in an order fixed
 * by the shape, so results do not depend on the thread count.
 *
 * <p>Layouts: a chunk's images are first transposed to channels-last ([image][row][column][channel]), so
 * that every step of every transform is one multiply-add over a contiguous run of all channels: MatchNet's
 * 16×16 maps have only four tiles per row, too few to vectorize along. V[ξ][T][C], M and dM[ξ][T][K],
 * U and dU[ξ][K][C], T = the chunk's tiles in (image, tile row, tile column) order. Each transform runs as
 * two separable passes (the rows of the tile, then its columns).
 */
final class WinogradConv {
    /** Floats of transformed tiles (V and M together) per chunk: 1.5 MiB, about a core's L2 (measured best). */
    private static final int CHUNK_FLOATS = 3 << 17;
    /** Partial weight gradients, each summing a run of consecutive chunks (see backwardWeights). */
    private static final int WEIGHT_GRAD_GROUPS = 8;

    private final CpuBackend backend;
    private final int isa;
    private final WinogradTransforms f;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** G ⊗ G: row ξ = (i, j), column (row, col) holds G[i][row] · G[j][col]. */
    private final Tensor filterTransform;
    private Tensor transformedWeights, weightGradPartials;

    WinogradConv(CpuBackend backend, int m, int r) {
        this.backend = backend;
        this.isa = backend.isa().code();
        this.f = new WinogradTransforms(m, r);
        this.filterTransform = backend.fromArray(f.filterKronecker(), f.alpha * f.alpha, r * r);
    }

    /** Whether this algorithm computes {@code s}: stride 1 and a square kernel of its size. */
    boolean handles(Conv2dShape s) {
        return s.stride() == 1 && s.kernelH() == f.r && s.kernelW() == f.r && s.padding() < f.r;
    }

    /** One thread's buffers, grown on demand and kept between calls. */
    private final class Scratch {
        private Tensor tiles, tileGrads, products;
        private float[] channelsLast = new float[0];

        Tensor tiles(int floats) {
            if (tiles == null || tiles.size() < floats) tiles = backend.zeros(floats);
            return tiles;
        }

        /** dV beside V, for the combined backward pass. */
        Tensor tileGrads(int floats) {
            if (tileGrads == null || tileGrads.size() < floats) tileGrads = backend.zeros(floats);
            return tileGrads;
        }

        Tensor products(int floats) {
            if (products == null || products.size() < floats) products = backend.zeros(floats);
            return products;
        }

        float[] channelsLast(int floats) {
            if (channelsLast.length < floats) channelsLast = new float[floats];
            return channelsLast;
        }
    }

    /** Tile geometry of one shape. */
    private record Tiling(Conv2dShape s, int tilesH, int tilesW, int imagesPerChunk, int chunks) {
        int tilesPerImage() { return tilesH * tilesW; }
        int chunkTiles() { return imagesPerChunk * tilesPerImage(); }
        int firstImage(int chunk) { return chunk * imagesPerChunk; }
        int images(int chunk) { return Math.min(imagesPerChunk, s.batch() - firstImage(chunk)); }
        int tiles(int chunk) { return images(chunk) * tilesPerImage(); }
        int imageFloats() {
            return Math.max(s.inChannels() * s.height() * s.width(), s.outChannels() * s.outHeight() * s.outWidth());
        }
    }

    private Tiling tiling(Conv2dShape s) {
        int m = f.m, a2 = f.alpha * f.alpha;
        int tilesH = ceilDiv(s.outHeight(), m), tilesW = ceilDiv(s.outWidth(), m);
        long perImage = (long) a2 * (s.inChannels() + s.outChannels()) * tilesH * tilesW;
        int imagesPerChunk = (int) Math.max(1, Math.min(s.batch(), CHUNK_FLOATS / perImage));
        return new Tiling(s, tilesH, tilesW, imagesPerChunk, ceilDiv(s.batch(), imagesPerChunk));
    }

    synchronized void forward(Conv2dShape s, Tensor x, Tensor weight, Tensor bias, Tensor y) {
        Tiling t = tiling(s);
        int k = s.outChannels(), c = s.inChannels(), a2 = f.alpha * f.alpha;
        Tensor u = transformWeights(s, weight);
        Parallel.forRange(t.chunks(), 1, (from, to) -> {
            Scratch sc = scratch.get();
            Tensor v = sc.tiles(a2 * c * t.chunkTiles()), mm = sc.products(a2 * k * t.chunkTiles());
            float[] planes = sc.channelsLast(t.imagesPerChunk() * t.imageFloats());
            for (int chunk = from; chunk < to; chunk++) {
                int n0 = t.firstImage(chunk), images = t.images(chunk), n = t.tiles(chunk);
                int[] g = geometry(t, images);
                transformInput(g, s, x, n0, planes, v);
                backend.blas().gemmStridedBatched(false, true, n, k, c, 1f, v, 0, c, n * c, u, 0, c, k * c,
                        0f, mm, 0, k, n * k, a2);
                NativeWinograd.transform(isa, NativeWinograd.OUTPUT, g, data(mm), mm.offset(), f.atFlat, bias == null ? null : data(bias),
                        bias == null ? 0 : bias.offset(), planes, data(y), y.offset() + n0 * k * s.outHeight() * s.outWidth());
            }
        });
    }

    synchronized void backwardData(Conv2dShape s, Tensor dy, Tensor weight, Tensor dx) {
        Tiling t = tiling(s);
        int k = s.outChannels(), c = s.inChannels(), a2 = f.alpha * f.alpha;
        Tensor u = transformWeights(s, weight);
        Parallel.forRange(t.chunks(), 1, (from, to) -> {
            Scratch sc = scratch.get();
            Tensor dv = sc.tiles(a2 * c * t.chunkTiles()), dm = sc.products(a2 * k * t.chunkTiles());
            float[] planes = sc.channelsLast(t.imagesPerChunk() * t.imageFloats());
            for (int chunk = from; chunk < to; chunk++) {
                int n0 = t.firstImage(chunk), images = t.images(chunk), n = t.tiles(chunk);
                int[] g = geometry(t, images);
                transformOutputGrad(g, s, dy, n0, planes, dm);
                dataGradient(g, s, n, n0, dm, u, dv, planes, dx);
            }
        });
    }

    /** dWeight += Gᵀ dU G (see {@link #backward}, which this is without the data gradient). */
    void backwardWeights(Conv2dShape s, Tensor x, Tensor dy, Tensor dWeight) {
        backward(s, x, dy, null, null, dWeight);
    }

    /**
     * dWeight += Gᵀ dU G with dU_ξ = Σ over chunks of dM_ξᵀ V_ξ, and, unless dx is null, dx as in
     * {@link #backwardData}, from the same dM: dy is transformed once per chunk for both gradients. The
     * chunks fall into a fixed number of groups of consecutive chunks; each group sums its chunks in order
     * into its own partial (sgemm with beta 1), and the partials are added in group order: few partials to
     * add, and a result that does not depend on the thread count. The bias gradient is the caller's.
     */
    synchronized void backward(Conv2dShape s, Tensor x, Tensor dy, Tensor weight, Tensor dx, Tensor dWeight) {
        Tiling t = tiling(s);
        int k = s.outChannels(), c = s.inChannels(), a2 = f.alpha * f.alpha;
        int uSize = a2 * k * c, chunks = t.chunks(), groups = Math.min(chunks, WEIGHT_GRAD_GROUPS);
        if (weightGradPartials == null || weightGradPartials.size() < (groups + 1) * uSize) {
            weightGradPartials = backend.zeros((groups + 1) * uSize);
        }
        Tensor partials = weightGradPartials, u = dx == null ? null : transformWeights(s, weight);
        Parallel.forRange(groups, 1, (from, to) -> {
            Scratch sc = scratch.get();
            Tensor v = sc.tiles(a2 * c * t.chunkTiles()), dm = sc.products(a2 * k * t.chunkTiles());
            Tensor dv = dx == null ? null : sc.tileGrads(a2 * c * t.chunkTiles());
            float[] planes = sc.channelsLast(t.imagesPerChunk() * t.imageFloats());
            for (int group = from; group < to; group++) {
                int first = group * chunks / groups, last = (group + 1) * chunks / groups;
                for (int chunk = first; chunk < last; chunk++) {
                    int n0 = t.firstImage(chunk), images = t.images(chunk), n = t.tiles(chunk);
                    int[] g = geometry(t, images);
                    transformOutputGrad(g, s, dy, n0, planes, dm);
                    if (dx != null) dataGradient(g, s, n, n0, dm, u, dv, planes, dx);
                    transformInput(g, s, x, n0, planes, v);
                    backend.blas().gemmStridedBatched(true, false, k, c, n, 1f, dm, 0, k, n * k, v, 0, c, n * c,
                            chunk == first ? 0f : 1f, partials, group * uSize, c, k * c, a2);
                }
            }
        });
        float[] pd = data(partials);
        int total = groups * uSize;
        Parallel.forRange(uSize, 4096, (from, to) -> {
            for (int j = from; j < to; j++) {
                float sum = pd[j];
                for (int i = 1; i < groups; i++) sum += pd[i * uSize + j];
                pd[total + j] = sum;
            }
        });
        untransformWeightGrad(s, partials, total, dWeight);
    }

    /**
     * U_ξ[k][c] = (G g[k][c] Gᵀ)_ξ, into a buffer kept between calls: one product U[α², K·C] = (G ⊗ G)[α², r²] ·
     * w[K·C, r²]ᵀ, every filter's r² taps at once (per filter, the loops were too short to vectorize).
     */
    private Tensor transformWeights(Conv2dShape s, Tensor weight) {
        int kc = s.outChannels() * s.inChannels(), a2 = f.alpha * f.alpha, r2 = f.r * f.r;
        if (transformedWeights == null || transformedWeights.size() < a2 * kc) transformedWeights = backend.zeros(a2 * kc);
        backend.blas().gemm(false, true, a2, kc, r2, 1f, filterTransform, 0, r2, weight, 0, r2, 0f, transformedWeights, 0, kc);
        return transformedWeights;
    }

    /** dWeight[k][c] += Gᵀ dU[k][c] G: dWeight[K·C, r²] += dU[α², K·C]ᵀ · (G ⊗ G)[α², r²], dU at {@code offset} of {@code du}. */
    private void untransformWeightGrad(Conv2dShape s, Tensor du, int offset, Tensor dWeight) {
        int kc = s.outChannels() * s.inChannels(), a2 = f.alpha * f.alpha, r2 = f.r * f.r;
        backend.blas().gemm(true, false, kc, r2, a2, 1f, du, offset, kc, filterTransform, 0, r2, 1f, dWeight, 0, r2);
    }

    /** The chunk's geometry as native/simil_winograd.c reads it. */
    private int[] geometry(Tiling t, int images) {
        Conv2dShape s = t.s();
        return new int[] {images, s.inChannels(), s.height(), s.width(), s.padding(), s.outChannels(),
            s.outHeight(), s.outWidth(), t.tilesH(), t.tilesW(), f.m, f.alpha};
    }

    /** V of the chunk's input images from x[n0] on (forward, and again for the weight gradient). */
    private void transformInput(int[] g, Conv2dShape s, Tensor x, int n0, float[] planes, Tensor v) {
        NativeWinograd.transform(isa, NativeWinograd.INPUT, g, data(x), x.offset() + n0 * s.inChannels() * s.height() * s.width(),
                f.btFlat, null, 0, planes, data(v), v.offset());
    }

    /** The chunk's dx from its dM (n tiles, first image n0): dV_ξ = dM_ξ U_ξ, then B dV Bᵀ onto dx[n0] on. */
    private void dataGradient(int[] g, Conv2dShape s, int n, int n0, Tensor dm, Tensor u, Tensor dv, float[] planes, Tensor dx) {
        int k = s.outChannels(), c = s.inChannels();
        backend.blas().gemmStridedBatched(false, false, n, c, k, 1f, dm, 0, k, n * k, u, 0, c, k * c,
                0f, dv, 0, c, n * c, f.alpha * f.alpha);
        NativeWinograd.transform(isa, NativeWinograd.INPUT_GRAD, g, data(dv), dv.offset(), f.btFlat, null, 0, planes, data(dx),
                dx.offset() + n0 * c * s.height() * s.width());
    }

    /** dM of the chunk's output gradient from dy[n0] on (both backward passes). */
    private void transformOutputGrad(int[] g, Conv2dShape s, Tensor dy, int n0, float[] planes, Tensor dm) {
        NativeWinograd.transform(isa, NativeWinograd.OUTPUT_GRAD, g, data(dy),
                dy.offset() + n0 * s.outChannels() * s.outHeight() * s.outWidth(), f.atFlat, null, 0, planes, data(dm), dm.offset());
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
