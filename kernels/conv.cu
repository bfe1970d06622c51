// Convolution and pooling kernels of simil.backend.cuda.CudaConvOps: the bias of a convolution (cuDNN computes
// the convolution itself), max pooling forward and backward, and the patches of BEiT and the visual tokenizers.
// NCHW float32 throughout, as simil.tensor.ConvOps.
#include "simil_cuda.h"
#include "simil_block.h"

// max(a, b), NaN when either is, as the CPU's pooling (Math.max) and PyTorch.
static __device__ __forceinline__ float conv_max_nan(float a, float b) {
    return a > b || a != a ? a : b;
}

// y[n, k, ·] += bias[k] for y [N, K, plane] as cuDNN wrote it.
// Grid-stride over the N·K·plane elements: Launch.overElements.
extern "C" __global__ void conv_add_bias(float* y, const float* bias, int channels, int plane, long long total) {
    SIMIL_GRID_STRIDE(e, total) {
        y[e] += bias[(e / plane) % channels];
    }
}

// dbias[k] += Σ over images and pixels of dy[n, k, ·], for dy [N, K, plane], in double: per thread, then over the
// block in simil_block_sum's fixed tree.
// One block of 256 threads per channel: grid K (Launch.perRow(K, 256, 0)).
extern "C" __global__ void conv_bias_backward(const float* dy, float* dbias, int batch, int channels, int plane) {
    __shared__ double buf[SIMIL_BLOCK_MAX];
    int k = blockIdx.x;
    long long count = (long long) batch * plane;
    double sum = 0;
    for (long long e = threadIdx.x; e < count; e += blockDim.x) sum += dy[(e / plane * channels + k) * plane + e % plane];
    sum = simil_block_sum(sum, buf);
    if (threadIdx.x == 0) dbias[k] += (float) sum;
}

// y [planes, p, q] = the max pool of x [planes, h, w]: windows of kernel × kernel at stride, shifted by pad and cut
// to the image (padding never wins), NaN winning. The order of the comparisons is the CPU's (native/simil_pool.c):
// each window column's maximum over the rows, then across the columns, so that even ties of −0 and +0 give its value.
// Grid-stride over the planes·p·q outputs: Launch.overElements.
extern "C" __global__ void conv_max_pool_forward(const float* x, float* y, int h, int w, int p, int q, int kernel,
                                                 int stride, int pad, long long total) {
    SIMIL_GRID_STRIDE(e, total) {
        long long plane = e / ((long long) p * q);
        int ox = (int) (e % q), oy = (int) (e / q % p);
        int y0 = oy * stride - pad, x0 = ox * stride - pad;
        int y1 = y0 + kernel < h ? y0 + kernel : h, x1 = x0 + kernel < w ? x0 + kernel : w;
        if (y0 < 0) y0 = 0;
        if (x0 < 0) x0 = 0;
        const float* xp = x + plane * h * w;
        float m = 0.0f;
        for (int ix = x0; ix < x1; ix++) {
            float column = xp[(long long) y0 * w + ix];
            for (int iy = y0 + 1; iy < y1; iy++) column = conv_max_nan(column, xp[(long long) iy * w + ix]);
            m = ix == x0 ? column : conv_max_nan(m, column);
        }
        y[e] = m;
    }
}

// dx [planes, h, w] = dy routed to the first (row-major) maximum of each window, found again from x and y (as cuDNN
// and the CPU do; NaN matches NaN). Gathered per input, not scattered per output, so that no two threads write one
// element: each input sums the gradients of the windows that chose it, in the CPU's order (outputs row-major), so
// the sums are the CPU's bit for bit. A window where no element equals y's value (y is not the max pool of x) passes
// no gradient and raises `code` in the failure word (DeviceCheck), as the CPU refuses it.
// Grid-stride over the planes·h·w inputs: Launch.overElements.
extern "C" __global__ void conv_max_pool_backward(const float* x, const float* y, const float* dy, float* dx, int h,
                                                  int w, int p, int q, int kernel, int stride, int pad, long long total,
                                                  int* failure, int code) {
    SIMIL_GRID_STRIDE(e, total) {
        long long plane = e / ((long long) h * w);
        int ix = (int) (e % w), iy = (int) (e / w % h);
        const float* xp = x + plane * h * w;
        const float* yp = y + plane * p * q;
        const float* dyp = dy + plane * p * q;
        // The outputs whose window holds (iy, ix): oy·stride − pad ≤ iy ≤ oy·stride − pad + kernel − 1.
        int lowY = iy + pad - kernel + 1, lowX = ix + pad - kernel + 1;
        int oy0 = lowY <= 0 ? 0 : (lowY + stride - 1) / stride, ox0 = lowX <= 0 ? 0 : (lowX + stride - 1) / stride;
        int oy1 = (iy + pad) / stride, ox1 = (ix + pad) / stride;
        if (oy1 > p - 1) oy1 = p - 1;
        if (ox1 > q - 1) ox1 = q - 1;
        float sum = 0.0f;
        for (int oy = oy0; oy <= oy1; oy++) {
            for (int ox = ox0; ox <= ox1; ox++) {
                float m = yp[(long long) oy * q + ox];
                int wy0 = oy * stride - pad, wx0 = ox * stride - pad;
                int firstY = -1, firstX = -1;
                for (int r = 0; r < kernel && firstY < 0; r++) {
                    int sy = wy0 + r;
                    if (sy < 0 || sy >= h) continue;
                    for (int c = 0; c < kernel; c++) {
                        int sx = wx0 + c;
                        if (sx < 0 || sx >= w) continue;
                        float v = xp[(long long) sy * w + sx];
                        if (v == m || (m != m && v != v)) {
                            firstY = sy;
                            firstX = sx;
                            break;
                        }
                    }
                }
                if (firstY < 0) atomicMax(failure, code);
                if (firstY == iy && firstX == ix) sum += dyp[(long long) oy * q + ox];
            }
        }
        dx[e] = sum;
    }
}

// out [B·G², C·patch²] = the non-overlapping patches of images [B, C, side, side], G = side / patch: each image's
// patches row-major over its grid, each patch channel-major (c, y, x).
// Grid-stride over the out elements (coalesced writes): Launch.overElements.
extern "C" __global__ void conv_extract_patches(const float* images, float* out, int channels, int side, int patch,
                                                long long total) {
    int grid = side / patch, area = patch * patch, dim = channels * area;
    SIMIL_GRID_STRIDE(e, total) {
        long long row = e / dim;
        int col = (int) (e % dim);
        long long n = row / (grid * grid);
        int cell = (int) (row % (grid * grid));
        int c = col / area, py = col % area / patch, px = col % patch;
        int sy = cell / grid * patch + py, sx = cell % grid * patch + px;
        out[e] = images[((n * channels + c) * side + sy) * side + sx];
    }
}
