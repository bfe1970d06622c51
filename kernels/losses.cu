// LossOps on the GPU (simil.backend.cuda.CudaLossOps): binary cross-entropy with logits, softmax cross-entropy with a
// row mask and label smoothing, and the counts of right answers, as simil.backend.cpu.CpuLossOps computes them. The
// loss and the counts go into one-element tensors on the device. A loss is summed deterministically: per block (or
// per row) in double, then the parts in order by one block (losses_mean_finish); counts are whole numbers, which
// float atomics add exactly (below 2^24) in any order.
#include "simil_cuda.h"
#include "simil_block.h"

// BCE over n elements: dz[i] = (σ(z) − t) / n, and partial[block] = Σ max(z, 0) − z·t + log(1 + e^{−|z|}) over the
// block's share (stable for any z). The arithmetic in double as on the CPU, the exponential and logarithm in float.
// A fixed grid of at most 1024 blocks of SIMIL_BLOCK_MAX threads that the Java side derives from n alone.
extern "C" __global__ void losses_bce_with_logits(const float* __restrict__ logits, const float* __restrict__ targets,
                                                  float* __restrict__ dLogits, double* __restrict__ partial, int n) {
    __shared__ double buf[SIMIL_BLOCK_MAX];
    double invN = 1.0 / n, acc = 0;
    SIMIL_GRID_STRIDE(i, n) {
        float zf = logits[i];
        double z = zf, t = targets[i];
        double e = expf(-fabsf(zf));
        acc += (z > 0 ? z : 0) - z * t + log1pf((float)e);
        double sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        dLogits[i] = (float)((sigmoid - t) * invN);
    }
    double s = simil_block_sum(acc, buf);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// loss[0] = Σ_{p < nParts} parts[p] / d in double, d = count[0] (when not null) or n; 0 when d is 0. One block of
// SIMIL_BLOCK_MAX threads.
extern "C" __global__ void losses_mean_finish(const double* __restrict__ parts, int nParts, const int* __restrict__ count,
                                              int n, float* __restrict__ loss) {
    __shared__ double buf[SIMIL_BLOCK_MAX];
    double acc = 0;
    for (int p = threadIdx.x; p < nParts; p += blockDim.x) acc += parts[p];
    double s = simil_block_sum(acc, buf);
    if (threadIdx.x == 0) {
        int d = count ? count[0] : n;
        loss[0] = d == 0 ? 0.0f : (float)(s * (1.0 / d));
    }
}

// count[0] += the rows r < rows that count (mask null or mask[r] ≠ 0); a counted row whose target is outside
// [0, vocab) raises `code` in the failure word. Launch.overElements(rows); count[0] zeroed before.
extern "C" __global__ void losses_count_rows(const int* __restrict__ mask, const int* __restrict__ targets, int rows,
                                             int vocab, int* count, int* failure, int code) {
    __shared__ int buf[SIMIL_BLOCK_MAX];
    int mine = 0;
    SIMIL_GRID_STRIDE(r, rows) {
        if (mask && mask[r] == 0) continue;
        int target = targets[r];
        if (target < 0 || target >= vocab) atomicMax(failure, code);
        mine++;
    }
    int s = simil_block_count(mine, buf);
    if (threadIdx.x == 0 && s > 0) atomicAdd(count, s);
}

// Softmax cross-entropy of row blockIdx.x of logits [rows, vocab] with PyTorch's label smoothing ε:
// q = (1 − ε)·onehot(target) + ε/V, rowLoss[r] = −Σ q·log p, dz = (p − q) / count[0] (losses_count_rows' count). A
// row the mask leaves out gets dz = 0 and loss 0; a row with a target out of range (losses_count_rows raised it)
// loss NaN and dz 0. One block per row (Launch.perRowOf(rows, vocab)): the max, Σ e^{z − max} and Σ z over the row
// by the block, those sums and the gradient's arithmetic in double.
extern "C" __global__ void losses_softmax_cross_entropy(const float* __restrict__ logits, const int* __restrict__ targets,
                                                        const int* __restrict__ mask, float* __restrict__ dLogits,
                                                        double* __restrict__ rowLoss, const int* __restrict__ count,
                                                        int vocab, float labelSmoothing) {
    __shared__ float maxBuf[SIMIL_BLOCK_MAX];
    __shared__ double sumBuf[SIMIL_BLOCK_MAX];
    int r = blockIdx.x;
    const float* z = logits + (long long)r * vocab;
    float* dz = dLogits + (long long)r * vocab;
    bool counted = !mask || mask[r] != 0;
    int target = counted ? targets[r] : -1;
    if (!counted || target < 0 || target >= vocab) {
        for (int v = threadIdx.x; v < vocab; v += blockDim.x) dz[v] = 0.0f;
        if (threadIdx.x == 0) rowLoss[r] = counted ? NAN : 0.0;
        return;
    }
    float max = -INFINITY;
    for (int v = threadIdx.x; v < vocab; v += blockDim.x) max = fmaxf(max, z[v]);
    max = simil_block_max(max, maxBuf);
    double sumExp = 0, sumLogits = 0;
    for (int v = threadIdx.x; v < vocab; v += blockDim.x) {
        float e = expf(z[v] - max);
        dz[v] = e;
        sumExp += e;
        sumLogits += z[v];
    }
    sumExp = simil_block_sum(sumExp, sumBuf);
    sumLogits = simil_block_sum(sumLogits, sumBuf);
    double onTarget = 1.0 - labelSmoothing, uniform = (double)labelSmoothing / vocab;
    double logSumExp = max + (double)logf((float)sumExp);
    if (threadIdx.x == 0) {
        // −log p_v = logSumExp − z_v; the uniform part sums it over all v.
        rowLoss[r] = onTarget * (logSumExp - z[target]) + uniform * (vocab * logSumExp - sumLogits);
    }
    double invSum = 1 / sumExp, invCount = 1.0 / count[0];
    for (int v = threadIdx.x; v < vocab; v += blockDim.x) {
        double q = uniform + (v == target ? onTarget : 0);
        dz[v] = (float)((dz[v] * invSum - q) * invCount);
    }
}

// out[0] += 1 for row blockIdx.x of logits [rows, vocab] if it counts (mask null or non-zero) and its largest logit,
// the first of equals, is at targets[r]. As the CPU's scan: a NaN never beats a number, and a NaN first logit wins
// (nothing is larger than it). One block per row (Launch.perRowOf(rows, vocab)); out[0] zeroed before.
extern "C" __global__ void losses_count_argmax_matches(const float* __restrict__ logits, const int* __restrict__ targets,
                                                       const int* __restrict__ mask, float* out, int vocab) {
    __shared__ float bestValue[SIMIL_BLOCK_MAX];
    __shared__ int bestIndex[SIMIL_BLOCK_MAX];
    int r = blockIdx.x;
    if (mask && mask[r] == 0) return;
    const float* z = logits + (long long)r * vocab;
    // Each thread's first largest non-NaN logit (index vocab: none), then a tree over the block.
    float best = 0.0f;
    int at = vocab;
    for (int v = threadIdx.x; v < vocab; v += blockDim.x) {
        float x = z[v];
        if (x == x && (at == vocab || x > best)) {
            best = x;
            at = v;
        }
    }
    unsigned t = threadIdx.x;
    bestValue[t] = best;
    bestIndex[t] = at;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) {
            float other = bestValue[t + s];
            int otherAt = bestIndex[t + s];
            bool mineNone = bestIndex[t] == vocab;
            if (otherAt != vocab && (mineNone || other > bestValue[t] || (other == bestValue[t] && otherAt < bestIndex[t]))) {
                bestValue[t] = other;
                bestIndex[t] = otherAt;
            }
        }
        __syncthreads();
    }
    if (t == 0) {
        int argmax = bestIndex[0] == vocab || z[0] != z[0] ? 0 : bestIndex[0];
        if (argmax == targets[r]) atomicAdd(out, 1.0f);
    }
}

// out[0] += the i < n with (logits[i] > 0) == (targets[i] > 0.5). Launch.overElements(n) with SIMIL_BLOCK_MAX
// threads per block; out[0] zeroed before.
extern "C" __global__ void losses_count_sign_matches(const float* __restrict__ logits, const float* __restrict__ targets,
                                                     float* out, int n) {
    __shared__ int buf[SIMIL_BLOCK_MAX];
    int mine = 0;
    SIMIL_GRID_STRIDE(i, n) mine += (logits[i] > 0.0f) == (targets[i] > 0.5f);
    int s = simil_block_count(mine, buf);
    if (threadIdx.x == 0 && s > 0) atomicAdd(out, (float)s);
}
