// Batch norm over [N, C, S] (per channel) and layer norm over rows, for simil.backend.cuda.CudaNormOps, with the
// arithmetic of simil.backend.cpu.CpuNormOps and native/simil_batch_norm.c: statistics summed in double, the batch
// mean taken about the channel's first value and subtracted as hi + lo (two floats), so that activations far from
// zero do not cancel in float.
#include "simil_cuda.h"
#include "simil_block.h"

// Threads of the one-block-per-channel and one-block-per-row kernels (SIMIL_BLOCK_MAX, for simil_block_sum).
#define NORMS_THREADS SIMIL_BLOCK_MAX
// Column tiles of the column-sum kernel: 32 columns by 16 row slices.
#define NORMS_TILE_COLS 32
#define NORMS_TILE_ROWS 16

// Element e of channel c's batch * spatial values in [N, C, S].
static __device__ __forceinline__ long long norms_channel_index(long long e, int c, int channels, int spatial) {
    long long n = e / spatial;
    return (n * channels + c) * spatial + e % spatial;
}

// Training-mode forward: per channel the batch mean and biased variance, y = ((x - hi) - lo) * scale + shift with
// scale = gamma / std, the saved mean and 1/std, and the running statistics updated with the CPU's expressions
// (PyTorch's convention, unbiased running variance). y may be x.
// grid: channels blocks; block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_batch_forward_training(const float *x, const float *gamma, const float *beta, float *y,
                                                        float *save_mean, float *save_inv_std, float *running_mean,
                                                        float *running_var, int batch, int channels, int spatial,
                                                        float momentum, float eps) {
    __shared__ double scratch[NORMS_THREADS];
    int c = blockIdx.x;
    long long count = (long long) batch * spatial;
    float k = x[(long long) c * spatial];
    double sum = 0, sq = 0;
    for (long long e = threadIdx.x; e < count; e += NORMS_THREADS) {
        float d = x[norms_channel_index(e, c, channels, spatial)] - k;
        sum += d;
        sq += (double) d * d;
    }
    sum = simil_block_sum(sum, scratch);
    sq = simil_block_sum(sq, scratch);
    double shifted = sum / count;
    double variance = sq / count - shifted * shifted;
    if (!(variance > 0)) variance = 0;
    double mean = k + shifted;
    double inv_std = 1 / sqrt(variance + eps);
    float hi = (float) mean, lo = (float) (mean - hi);
    float scale = (float) (gamma[c] * inv_std), shift = beta[c];
    for (long long e = threadIdx.x; e < count; e += NORMS_THREADS) {
        long long i = norms_channel_index(e, c, channels, spatial);
        y[i] = ((x[i] - hi) - lo) * scale + shift;
    }
    if (threadIdx.x == 0) {
        save_mean[c] = hi;
        save_inv_std[c] = (float) inv_std;
        // As Java evaluates them: (1 - momentum) * running in float, the batch term in double, rounded once.
        float kept_mean = __fmul_rn(1 - momentum, running_mean[c]);
        float kept_var = __fmul_rn(1 - momentum, running_var[c]);
        running_mean[c] = (float) (kept_mean + __dmul_rn(momentum, mean));
        running_var[c] = (float) (kept_var + __dmul_rn(momentum, variance) * (double) count / (double) (count - 1));
    }
}

// Evaluation-mode forward: y = (x - running mean) * (gamma / sqrt(running var + eps)) + beta, 1/std in double as
// the CPU takes it. y may be x.
// grid: Launch.overElements(batch * channels * spatial), grid-stride; block: 256.
extern "C" __global__ void norms_batch_forward_inference(const float *x, const float *gamma, const float *beta,
                                                         const float *running_mean, const float *running_var, float *y,
                                                         int channels, int spatial, long long n, float eps) {
    SIMIL_GRID_STRIDE(i, n) {
        int c = (int) ((i / spatial) % channels);
        double inv_std = 1 / sqrt(running_var[c] + (double) eps);
        float scale = (float) (gamma[c] * inv_std);
        y[i] = (x[i] - running_mean[c]) * scale + beta[c];
    }
}

// Backward: per channel Σ dy and Σ dy·x̂ (x̂ = (x - saved mean) * saved 1/std), dGamma += Σ dy·x̂, dBeta += Σ dy,
// dx = gamma/std * (dy - mean(dy) - x̂ * mean(dy·x̂)) (overwrites; dx may be dy: each thread rewrites only the
// elements it read, after the block's sums).
// grid: channels blocks; block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_batch_backward(const float *x, const float *dy, const float *gamma,
                                                const float *save_mean, const float *save_inv_std, float *dx,
                                                float *d_gamma, float *d_beta, int batch, int channels, int spatial) {
    __shared__ double scratch[NORMS_THREADS];
    int c = blockIdx.x;
    long long count = (long long) batch * spatial;
    float mean = save_mean[c], inv_std = save_inv_std[c];
    double sum_dy = 0, sum_dy_xhat = 0;
    for (long long e = threadIdx.x; e < count; e += NORMS_THREADS) {
        long long i = norms_channel_index(e, c, channels, spatial);
        float g = dy[i];
        sum_dy += g;
        sum_dy_xhat += g * ((x[i] - mean) * inv_std);
    }
    sum_dy = simil_block_sum(sum_dy, scratch);
    sum_dy_xhat = simil_block_sum(sum_dy_xhat, scratch);
    float k = gamma[c] * inv_std;
    float mean_dy = (float) (sum_dy / count), mean_dy_xhat = (float) (sum_dy_xhat / count);
    for (long long e = threadIdx.x; e < count; e += NORMS_THREADS) {
        long long i = norms_channel_index(e, c, channels, spatial);
        dx[i] = k * (dy[i] - mean_dy - ((x[i] - mean) * inv_std) * mean_dy_xhat);
    }
    if (threadIdx.x == 0) {
        d_gamma[c] += (float) sum_dy_xhat;
        d_beta[c] += (float) sum_dy;
    }
}

// Layer norm forward over rows of `cols`: mean and variance in double (two passes, as the CPU), then
// y = (x - mean) * invStd * gamma + beta in float; saves each row's mean and 1/std. y may be x.
// grid: rows blocks; block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_layer_forward(const float *x, const float *gamma, const float *beta, float *y,
                                               float *mean, float *inv_std, int cols, float eps) {
    __shared__ double scratch[NORMS_THREADS];
    long long base = (long long) blockIdx.x * cols;
    double sum = 0;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) sum += x[base + c];
    double mu = simil_block_sum(sum, scratch) / cols;
    double sq = 0;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) {
        double d = x[base + c] - mu;
        sq += d * d;
    }
    double inv = 1 / sqrt(simil_block_sum(sq, scratch) / cols + eps);
    float mu_f = (float) mu, inv_f = (float) inv;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) y[base + c] = (x[base + c] - mu_f) * inv_f * gamma[c] + beta[c];
    if (threadIdx.x == 0) {
        mean[blockIdx.x] = mu_f;
        inv_std[blockIdx.x] = inv_f;
    }
}

// Layer norm's parameter gradients: dGamma[c] += Σ_rows dy·x̂, dBeta[c] += Σ_rows dy, summed in double over a
// tile's row slices, then across them in a fixed order.
// grid: ceil(cols / NORMS_TILE_COLS) blocks; block: NORMS_TILE_COLS x NORMS_TILE_ROWS; no dynamic shared memory.
extern "C" __global__ void norms_layer_backward_params(const float *x, const float *dy, const float *mean,
                                                       const float *inv_std, float *d_gamma, float *d_beta, int rows,
                                                       int cols) {
    __shared__ double acc_gamma[NORMS_TILE_ROWS][NORMS_TILE_COLS];
    __shared__ double acc_beta[NORMS_TILE_ROWS][NORMS_TILE_COLS];
    int c = blockIdx.x * NORMS_TILE_COLS + threadIdx.x;
    double g = 0, b = 0;
    if (c < cols) {
        for (int r = threadIdx.y; r < rows; r += NORMS_TILE_ROWS) {
            long long i = (long long) r * cols + c;
            float d = dy[i];
            g += d * ((x[i] - mean[r]) * inv_std[r]);
            b += d;
        }
    }
    acc_gamma[threadIdx.y][threadIdx.x] = g;
    acc_beta[threadIdx.y][threadIdx.x] = b;
    __syncthreads();
    if (threadIdx.y == 0 && c < cols) {
        for (int s = 1; s < NORMS_TILE_ROWS; s++) {
            g += acc_gamma[s][threadIdx.x];
            b += acc_beta[s][threadIdx.x];
        }
        d_gamma[c] += (float) g;
        d_beta[c] += (float) b;
    }
}

// Layer norm's dx per row: dx = invStd * (gamma·dy - mean(gamma·dy) - x̂ * mean(gamma·dy·x̂)), overwrites; dx may
// be dy (run norms_layer_backward_params first, which reads dy).
// grid: rows blocks; block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_layer_backward_input(const float *x, const float *dy, const float *gamma,
                                                      const float *mean, const float *inv_std, float *dx, int cols) {
    __shared__ double scratch[NORMS_THREADS];
    long long base = (long long) blockIdx.x * cols;
    float mu = mean[blockIdx.x], inv = inv_std[blockIdx.x];
    double sum_g = 0, sum_gx = 0;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) {
        double gdy = (double) gamma[c] * dy[base + c];
        sum_g += gdy;
        sum_gx += gdy * ((x[base + c] - mu) * inv);
    }
    float mean_g = (float) (simil_block_sum(sum_g, scratch) / cols);
    float mean_gx = (float) (simil_block_sum(sum_gx, scratch) / cols);
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) {
        float xhat = (x[base + c] - mu) * inv;
        dx[base + c] = inv * (gamma[c] * dy[base + c] - mean_g - xhat * mean_gx);
    }
}

// Each row standardized by its own mean and sqrt(biased variance + eps), sums in double, no gain or bias; y may
// be x. mean and scale receive the row's two numbers unless null.
// grid: rows blocks; block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_standardize_rows(const float *x, float *y, float *mean, float *scale, int cols, float eps) {
    __shared__ double scratch[NORMS_THREADS];
    long long base = (long long) blockIdx.x * cols;
    double sum = 0;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) sum += x[base + c];
    double mu = simil_block_sum(sum, scratch) / cols;
    double sq = 0;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) sq += (x[base + c] - mu) * (x[base + c] - mu);
    float sc = (float) sqrt(simil_block_sum(sq, scratch) / cols + eps), inv = 1.0f / sc, mu_f = (float) mu;
    for (int c = threadIdx.x; c < cols; c += NORMS_THREADS) y[base + c] = (x[base + c] - mu_f) * inv;
    if (threadIdx.x == 0) {
        if (mean) mean[blockIdx.x] = mu_f;
        if (scale) scale[blockIdx.x] = sc;
    }
}
