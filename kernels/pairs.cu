// The pair batch of the metric network (simil.backend.cuda.CudaTensorOps): concatenating the two images' features
// of each pair and splitting the pair's gradient back (forward and backward), and the first metric layer of every
// pair in an R×C tile from each image's precomputed half. Contracts as simil.backend.cpu.CpuTensorOps.
#include "simil_cuda.h"
#include "simil_block.h"

// Launch geometry of all three: Launch.overElements(n), a grid-stride loop of 256 threads per block, one thread per
// output (or input) element, so that consecutive threads touch consecutive elements of the pair matrix.

// out[r] = [a[r] ; b[r]] for a [rows, ca] and b [rows, cb]: n = rows · (ca + cb) elements of out.
extern "C" __global__ void pairs_concat_columns(const float* __restrict__ a, const float* __restrict__ b,
                                                float* __restrict__ out, int n, int ca, int cb) {
    int width = ca + cb;
    SIMIL_GRID_STRIDE(i, n) {
        long long r = i / width, c = i - r * width;
        out[i] = c < ca ? a[r * ca + c] : b[r * cb + (c - ca)];
    }
}

// The backward of pairs_concat_columns: a[r] = in[r, :ca], b[r] = in[r, ca:] over n = rows · (ca + cb) elements.
extern "C" __global__ void pairs_split_columns(const float* __restrict__ in, float* __restrict__ a,
                                               float* __restrict__ b, int n, int ca, int cb) {
    int width = ca + cb;
    SIMIL_GRID_STRIDE(i, n) {
        long long r = i / width, c = i - r * width;
        if (c < ca) {
            a[r * ca + c] = in[i];
        } else {
            b[r * cb + (c - ca)] = in[i];
        }
    }
}

// out[r·C + c, k] = relu(a[r, k] + b[c, k]) for a [R, h], b [C, h]: n = R · C · h elements. ReLU as Java's
// Math.max(0f, s): NaN stays NaN, −0 becomes 0.
extern "C" __global__ void pairs_sum_relu(const float* __restrict__ a, const float* __restrict__ b,
                                          float* __restrict__ out, int n, int cols, int h) {
    SIMIL_GRID_STRIDE(i, n) {
        long long p = i / h, k = i - p * h;
        float s = a[(p / cols) * h + k] + b[(p % cols) * h + k];
        out[i] = s <= 0.0f ? 0.0f : s;
    }
}
