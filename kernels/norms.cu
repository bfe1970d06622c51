// Batch norm over [N, C, S] (per channel) and layer norm over rows, for simil.backend.cuda.CudaNormOps, with the
// arithmetic of simil.backend.cpu.CpuNormOps and native/simil_batch_norm.c: statistics summed in double, the batch
// mean taken about the channel's first value and subtracted as hi + lo (two floats), so that activations far from
// zero do not cancel in float.
#include "simil_cuda.h"
#include "simil_block.h"

// Threads of the chunk and one-block-per-row kernels (SIMIL_BLOCK_MAX, for simil_block_sum).
#define NORMS_THREADS SIMIL_BLOCK_MAX

// Batch norm's passes over a channel are split into chunks of NORMS_CHUNK of its batch·spatial values, one block
// each, so that a few channels still fill the GPU: the chunks' double sums go to the workspace, a per-channel finish
// adds them in chunk order (the same bits on every GPU and run), and an elementwise pass applies the result.
#define NORMS_CHUNK 8192

// Element e (< batch·spatial) of channel c in [N, C, S].
static __device__ __forceinline__ long long norms_channel_index(int e, int c, int channels, int spatial) {
    return ((long long) (e / spatial) * channels + c) * spatial + e % spatial;
}

// partial[c, chunk] = {Σ d, Σ d²} over the chunk's values of channel c, d = x − (the channel's first value), so that
// the mean does not cancel the variance.
// grid: (chunks, channels); block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_batch_stats_partial(const float *x, double *partial, int batch, int channels, int spatial) {
    __shared__ double scratch[NORMS_THREADS];
    int c = blockIdx.y, count = batch * spatial;
    int e0 = blockIdx.x * NORMS_CHUNK, e1 = count - e0 < NORMS_CHUNK ? count : e0 + NORMS_CHUNK;
    float k = x[(long long) c * spatial];
    double sum = 0, sq = 0;
    for (int e = e0 + threadIdx.x; e < e1; e += NORMS_THREADS) {
        float d = x[norms_channel_index(e, c, channels, spatial)] - k;
        sum += d;
        sq += (double) d * d;
    }
    sum = simil_block_sum(sum, scratch);
    sq = simil_block_sum(sq, scratch);
    if (threadIdx.x == 0) {
        double *p = partial + 2 * ((long long) c * gridDim.x + blockIdx.x);
        p[0] = sum;
        p[1] = sq;
    }
}

// Per channel from the chunks' sums: the batch mean and biased variance, the saved mean and 1/std, the running
// statistics updated with the CPU's expressions (PyTorch's convention, unbiased running variance), and
// affine[c] = {hi, lo, scale, shift} for norms_batch_normalize: the double mean as hi + lo, scale = gamma / std.
// grid: ceil(channels / 256) blocks; block: 256 (a thread per channel).
extern "C" __global__ void norms_batch_stats_finish(const double *partial, const float *x, const float *gamma,
                                                    const float *beta, float *save_mean, float *save_inv_std,
                                                    float *running_mean, float *running_var, float *affine, int chunks,
                                                    int batch, int channels, int spatial, float momentum, float eps) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= channels) return;
    long long count = (long long) batch * spatial;
    double sum = 0, sq = 0;
    for (int chunk = 0; chunk < chunks; chunk++) {
        sum += partial[2 * ((long long) c * chunks + chunk)];
        sq += partial[2 * ((long long) c * chunks + chunk) + 1];
    }
    double shifted = sum / count;
    double variance = sq / count - shifted * shifted;
    if (!(variance > 0)) variance = 0;
    double mean = x[(long long) c * spatial] + shifted;
    double inv_std = 1 / sqrt(variance + eps);
    float hi = (float) mean;
    affine[4 * c] = hi;
    affine[4 * c + 1] = (float) (mean - hi);
    affine[4 * c + 2] = (float) (gamma[c] * inv_std);
    affine[4 * c + 3] = beta[c];
    save_mean[c] = hi;
    save_inv_std[c] = (float) inv_std;
    // As Java evaluates them: (1 - momentum) * running in float, the batch term in double, rounded once.
    float kept_mean = __fmul_rn(1 - momentum, running_mean[c]);
    float kept_var = __fmul_rn(1 - momentum, running_var[c]);
    running_mean[c] = (float) (kept_mean + __dmul_rn(momentum, mean));
    running_var[c] = (float) (kept_var + __dmul_rn(momentum, variance) * (double) count / (double) (count - 1));
}

// Evaluation mode's affine[c] = {running mean, 0, gamma / sqrt(running var + eps), beta}, 1/std in double as the
// CPU takes it.
// grid: ceil(channels / 256) blocks; block: 256 (a thread per channel).
extern "C" __global__ void norms_batch_inference_affine(const float *gamma, const float *beta, const float *running_mean,
                                                        const float *running_var, float *affine, int channels, float eps) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= channels) return;
    double inv_std = 1 / sqrt(running_var[c] + (double) eps);
    affine[4 * c] = running_mean[c];
    affine[4 * c + 1] = 0;
    affine[4 * c + 2] = (float) (gamma[c] * inv_std);
    affine[4 * c + 3] = beta[c];
}

// y = ((x − hi) − lo) · scale + shift with channel c's affine[c]; y may be x.
// grid: Launch.overElements(n = batch·channels·spatial), grid-stride; block: 256.
extern "C" __global__ void norms_batch_normalize(const float *x, const float *affine, float *y, int channels, int spatial,
                                                 int n) {
    SIMIL_GRID_STRIDE(i, n) {
        const float *a = affine + 4 * (((int) i / spatial) % channels);
        y[i] = ((x[i] - a[0]) - a[1]) * a[2] + a[3];
    }
}

// Backward's chunk sums: partial[c, chunk] = {Σ dy, Σ dy·x̂}, x̂ = (x − saved mean) · saved 1/std.
// grid: (chunks, channels); block: NORMS_THREADS; no dynamic shared memory.
extern "C" __global__ void norms_batch_backward_partial(const float *x, const float *dy, const float *save_mean,
                                                        const float *save_inv_std, double *partial, int batch,
                                                        int channels, int spatial) {
    __shared__ double scratch[NORMS_THREADS];
    int c = blockIdx.y, count = batch * spatial;
    int e0 = blockIdx.x * NORMS_CHUNK, e1 = count - e0 < NORMS_CHUNK ? count : e0 + NORMS_CHUNK;
    float mean = save_mean[c], inv_std = save_inv_std[c];
    double sum_dy = 0, sum_dy_xhat = 0;
    for (int e = e0 + threadIdx.x; e < e1; e += NORMS_THREADS) {
        long long i = norms_channel_index(e, c, channels, spatial);
        float g = dy[i];
        sum_dy += g;
        sum_dy_xhat += g * ((x[i] - mean) * inv_std);
    }
    sum_dy = simil_block_sum(sum_dy, scratch);
    sum_dy_xhat = simil_block_sum(sum_dy_xhat, scratch);
    if (threadIdx.x == 0) {
        double *p = partial + 2 * ((long long) c * gridDim.x + blockIdx.x);
        p[0] = sum_dy;
        p[1] = sum_dy_xhat;
    }
}

// Per channel: dGamma += Σ dy·x̂, dBeta += Σ dy (chunks added in order), and coeffs[c] = {gamma/std, mean(dy),
// mean(dy·x̂)} for norms_batch_backward_input.
// grid: ceil(channels / 256) blocks; block: 256 (a thread per channel).
extern "C" __global__ void norms_batch_backward_finish(const double *partial, const float *gamma, const float *save_inv_std,
                                                       float *d_gamma, float *d_beta, float *coeffs, int chunks,
                                                       int batch, int channels, int spatial) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= channels) return;
    double count = (double) batch * spatial, sum_dy = 0, sum_dy_xhat = 0;
    for (int chunk = 0; chunk < chunks; chunk++) {
        sum_dy += partial[2 * ((long long) c * chunks + chunk)];
        sum_dy_xhat += partial[2 * ((long long) c * chunks + chunk) + 1];
    }
    d_gamma[c] += (float) sum_dy_xhat;
    d_beta[c] += (float) sum_dy;
    coeffs[3 * c] = gamma[c] * save_inv_std[c];
    coeffs[3 * c + 1] = (float) (sum_dy / count);
    coeffs[3 * c + 2] = (float) (sum_dy_xhat / count);
}

// dx = gamma/std · (dy − mean(dy) − x̂ · mean(dy·x̂)) with channel c's coeffs[c] (overwrites; dx may be dy).
// grid: Launch.overElements(n = batch·channels·spatial), grid-stride; block: 256.
extern "C" __global__ void norms_batch_backward_input(const float *x, const float *dy, const float *save_mean,
                                                      const float *save_inv_std, const float *coeffs, float *dx,
                                                      int channels, int spatial, int n) {
    SIMIL_GRID_STRIDE(i, n) {
        int c = ((int) i / spatial) % channels;
        const float *k = coeffs + 3 * c;
        dx[i] = k[0] * (dy[i] - k[1] - ((x[i] - save_mean[c]) * save_inv_std[c]) * k[2]);
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

// Layer norm's parameter gradients, the first step of simil_block.h's column sums: partial[s, c] = Σ dy·x̂ and
// partial[splits + s, c] = Σ dy over the rows of split s (tensor_column_sums_finish adds them to dGamma and dBeta).
// grid: (ceil(cols / SIMIL_COLUMN_TILE), splits); block: SIMIL_COLUMN_TILE x SIMIL_COLUMN_GROUPS.
extern "C" __global__ void norms_layer_backward_params_partial(const float *x, const float *dy, const float *mean,
                                                               const float *inv_std, double *partial, int rows,
                                                               int cols, int rows_per_split) {
    __shared__ double sums_gamma[SIMIL_COLUMN_GROUPS][SIMIL_COLUMN_TILE];
    __shared__ double sums_beta[SIMIL_COLUMN_GROUPS][SIMIL_COLUMN_TILE];
    int c = blockIdx.x * SIMIL_COLUMN_TILE + threadIdx.x;
    int r0 = blockIdx.y * rows_per_split, r1 = rows - r0 < rows_per_split ? rows : r0 + rows_per_split;
    double g = 0, b = 0;
    if (c < cols) {
        for (int r = r0 + threadIdx.y; r < r1; r += SIMIL_COLUMN_GROUPS) {
            long long i = (long long) r * cols + c;
            float d = dy[i];
            g += d * ((x[i] - mean[r]) * inv_std[r]);
            b += d;
        }
    }
    simil_column_partial(g, sums_gamma, partial, cols);
    simil_column_partial(b, sums_beta, partial + (long long) gridDim.y * cols, cols);
}

// Layer norm's dx per row: dx = invStd * (gamma·dy - mean(gamma·dy) - x̂ * mean(gamma·dy·x̂)), overwrites; dx may
// be dy (run norms_layer_backward_params_partial first, which reads dy).
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
