// ActivationOps on the GPU (simil.backend.cuda.CudaActivationOps): ReLU, the exact GELU and softmax over the last
// dimension, forward and backward, as simil.backend.cpu.CpuActivationOps computes them. Outputs may alias inputs
// where the interface allows it: every thread reads an element before it writes the same element, and no other.
#include "simil_cuda.h"
#include "simil_block.h"

// Launch geometry of the four pointwise kernels: Launch.overElements(n), a grid-stride loop of 256 threads per block.

// y = max(x, 0) as Java's Math.max(x, 0f): NaN stays NaN, −0 becomes 0; y may alias x.
extern "C" __global__ void activations_relu_forward(const float* x, float* y, int n) {
    SIMIL_GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = v <= 0.0f ? 0.0f : v;
    }
}

// dx = y > 0 ? dy : 0; dx may alias dy.
extern "C" __global__ void activations_relu_backward(const float* __restrict__ y, const float* dy, float* dx, int n) {
    SIMIL_GRID_STRIDE(i, n) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

#define ACTIVATIONS_INV_SQRT2 0.70710678118654752f
// 1 / √(2π): φ(x) = e^{−x²/2} / √(2π).
#define ACTIVATIONS_INV_SQRT_2PI 0.39894228040143268f

// y = x·Φ(x) = x/2 · (1 + erf(x/√2)), in the CPU's order of operations (native/simil_gelu.c), with CUDA's erff
// (within 2 ulp) where the CPU interpolates a table of erf to float resolution; y may alias x.
extern "C" __global__ void activations_gelu_forward(const float* x, float* y, int n) {
    SIMIL_GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = v * 0.5f * (1.0f + erff(v * ACTIVATIONS_INV_SQRT2));
    }
}

// dx = dy · (Φ(x) + x·φ(x)); dx may alias dy.
extern "C" __global__ void activations_gelu_backward(const float* __restrict__ x, const float* dy, float* dx, int n) {
    SIMIL_GRID_STRIDE(i, n) {
        float v = x[i];
        float cdf = 0.5f * (1.0f + erff(v * ACTIVATIONS_INV_SQRT2));
        float pdf = ACTIVATIONS_INV_SQRT_2PI * expf(-0.5f * v * v);
        dx[i] = dy[i] * (cdf + v * pdf);
    }
}

// Softmax of each row of `cols` values, max-subtracted, the sum of the exponentials in double as on the CPU; y may
// alias x. One block per row (Launch.perRow(rows, threads, 0)), threads a power of two from 32 to SIMIL_BLOCK_MAX,
// each striding the row.
extern "C" __global__ void activations_softmax_forward(const float* x, float* y, int cols) {
    __shared__ float maxBuf[SIMIL_BLOCK_MAX];
    __shared__ double sumBuf[SIMIL_BLOCK_MAX];
    const float* xr = x + (long long)blockIdx.x * cols;
    float* yr = y + (long long)blockIdx.x * cols;
    // fmaxf passes over a NaN, which Java's Math.max keeps; the row comes out NaN all the same (through the sum).
    float max = -INFINITY;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) max = fmaxf(max, xr[c]);
    max = simil_block_max(max, maxBuf);
    double sum = 0;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        float e = expf(xr[c] - max);
        yr[c] = e;
        sum += e;
    }
    float inv = (float)(1.0 / simil_block_sum(sum, sumBuf));
    for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] *= inv;
}

// dx = y ⊙ (dy − Σ dy ⊙ y) per row, the dot in double; dx may alias dy. Geometry as activations_softmax_forward.
extern "C" __global__ void activations_softmax_backward(const float* __restrict__ y, const float* dy, float* dx, int cols) {
    __shared__ double dotBuf[SIMIL_BLOCK_MAX];
    long long base = (long long)blockIdx.x * cols;
    double dot = 0;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) dot += (double)dy[base + c] * y[base + c];
    float s = (float)simil_block_sum(dot, dotBuf);
    for (int c = threadIdx.x; c < cols; c += blockDim.x) dx[base + c] = y[base + c] * (dy[base + c] - s);
}
