// Vector quantization kernels of simil.backend.cuda.CudaCodebookOps: squared norms and the argmin of the nearest
// codebook row (the cross term −2·x·e comes from cuBLAS), code counts, and Lloyd's k-means update, whose sums run
// over each code's rows in row order in double, so that the centroids are the CPU's bit for bit.
#include "simil_cuda.h"
#include "simil_block.h"

enum { ORDER_THREADS = 1024 };  // threads of the one-block steps of the k-means update

// norms[k] = ‖rows[k]‖² of rows [V, dim], summed in double and rounded once, as the CPU.
// One block of 256 threads per row: grid V (Launch.perRow(V, 256, 0)).
extern "C" __global__ void codebooks_row_norms(const float* rows, float* norms, int dim) {
    __shared__ double sums[SIMIL_BLOCK_MAX];
    const float* row = rows + (long long) blockIdx.x * dim;
    double s = 0;
    for (int d = threadIdx.x; d < dim; d += blockDim.x) s += (double) row[d] * row[d];
    s = simil_block_sum(s, sums);
    if (threadIdx.x == 0) norms[blockIdx.x] = (float) s;
}

// For each row i of a block of scores [rows, V] (scores[i][k] = −2·x_i·e_k): codes[i] = the k with the least
// scores[i][k] + norms[k] (float, as the CPU), ties and NaNs as the CPU's strict scan from k = 0: the lowest index of
// the least value, 0 where no value is below +∞. distances[i] (unless null) = max(0, ‖x_i‖² + that value) in double,
// with ‖x_i‖² of x [rows, dim] in double.
// One block of 256 threads per row: grid rows (Launch.perRow(rows, 256, 0)).
extern "C" __global__ void codebooks_argmin(const float* scores, const float* norms, const float* x, int vocab, int dim,
                                            int* codes, float* distances) {
    __shared__ float bestScores[SIMIL_BLOCK_MAX];
    __shared__ int bestCodes[SIMIL_BLOCK_MAX];
    __shared__ double sums[SIMIL_BLOCK_MAX];
    long long i = blockIdx.x;
    const float* s = scores + i * vocab;
    float best = INFINITY;
    int code = 0x7fffffff;  // none yet
    for (int k = threadIdx.x; k < vocab; k += blockDim.x) {
        float d = s[k] + norms[k];
        if (d < best) {
            best = d;
            code = k;
        }
    }
    bestScores[threadIdx.x] = best;
    bestCodes[threadIdx.x] = code;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if ((int) threadIdx.x < half) {
            float other = bestScores[threadIdx.x + half];
            int otherCode = bestCodes[threadIdx.x + half];
            if (other < bestScores[threadIdx.x] || (other == bestScores[threadIdx.x] && otherCode < bestCodes[threadIdx.x])) {
                bestScores[threadIdx.x] = other;
                bestCodes[threadIdx.x] = otherCode;
            }
        }
        __syncthreads();
    }
    best = bestScores[0];
    code = bestCodes[0] == 0x7fffffff ? 0 : bestCodes[0];
    if (threadIdx.x == 0) codes[i] = code;
    if (distances == 0) return;
    const float* row = x + i * dim;
    double xx = 0;
    for (int d = threadIdx.x; d < dim; d += blockDim.x) xx += (double) row[d] * row[d];
    xx = simil_block_sum(xx, sums);
    if (threadIdx.x == 0) {
        double squared = xx + best;
        distances[i] = (float) (squared > 0.0 || squared != squared ? squared : 0.0);  // Math.max(0, squared)
    }
}

// counts[k] += how many of codes [n] equal k, for counts [V]; a code outside [0, V) is not counted and raises
// `code` in the failure word (DeviceCheck), as the CPU refuses it.
// Grid-stride over the codes: Launch.overElements(n).
extern "C" __global__ void codebooks_count(const int* codes, long long n, int* counts, int vocab, int* failure, int code) {
    SIMIL_GRID_STRIDE(i, n) {
        int k = codes[i];
        if (k >= 0 && k < vocab) atomicAdd(&counts[k], 1);
        else atomicMax(failure, code);
    }
}

// cursor[k] = Σ counts[k'] over k' < k: where code k's rows start in the order codebooks_order writes.
// One block of 1024 threads: Launch.of(1, 1024); each thread sums a contiguous run of codes, thread 0 scans the runs.
extern "C" __global__ void codebooks_scan(const int* counts, int vocab, int* cursor) {
    __shared__ int runs[ORDER_THREADS];
    int per = (vocab + blockDim.x - 1) / blockDim.x, from = threadIdx.x * per;
    int to = from + per < vocab ? from + per : vocab, sum = 0;
    for (int k = from; k < to; k++) sum += counts[k];
    runs[threadIdx.x] = sum;
    __syncthreads();
    if (threadIdx.x == 0) {
        int total = 0;
        for (int t = 0; t < (int) blockDim.x; t++) {
            int run = runs[t];
            runs[t] = total;
            total += run;
        }
    }
    __syncthreads();
    sum = runs[threadIdx.x];
    for (int k = from; k < to; k++) {
        cursor[k] = sum;
        sum += counts[k];
    }
}

// order = the row indices of codes [n] grouped by code, ascending within each code (a stable counting sort):
// code k's rows go to order[cursor[k] ..], and cursor[k] ends where they end. Rows pass in steps of 1024; within a
// step each row's rank among the earlier rows of its code comes from comparing the step's codes in shared memory.
// Codes outside [0, V) are left out, as codebooks_count leaves them.
// One block of 1024 threads: Launch.of(1, 1024).
extern "C" __global__ void codebooks_order(const int* codes, long long n, int vocab, int* cursor, int* order) {
    __shared__ int step[ORDER_THREADS];
    for (long long base = 0; base < n; base += blockDim.x) {
        long long i = base + threadIdx.x;
        int code = i < n ? codes[i] : -1;
        if (code >= vocab) code = -1;
        step[threadIdx.x] = code;
        __syncthreads();
        int rank = 0, later = 0;
        if (code >= 0) {
            for (int u = 0; u < (int) blockDim.x; u++) {
                if (step[u] != code) continue;
                if (u < (int) threadIdx.x) rank++;
                else if (u > (int) threadIdx.x) later++;
            }
            order[cursor[code] + rank] = (int) i;
        }
        __syncthreads();
        if (code >= 0 && later == 0) cursor[code] += rank + 1;
        __syncthreads();
    }
}

// centroids[k] = the mean of the rows of x [n, dim] whose code is k, summed in double in row order (order, from
// codebooks_order, whose cursor[k] is where code k's counts[k] rows end), for every k with rows; the others keep theirs.
// One block of 256 threads per code, over the dimensions: grid V (Launch.perRow(V, 256, 0)).
extern "C" __global__ void codebooks_means(const float* x, int dim, const int* order, const int* cursor, const int* counts,
                                           float* centroids) {
    int k = blockIdx.x, count = counts[k];
    if (count == 0) return;
    int from = cursor[k] - count;
    for (int d = threadIdx.x; d < dim; d += blockDim.x) {
        double sum = 0;
        for (int r = from; r < from + count; r++) sum += x[(long long) order[r] * dim + d];
        centroids[(long long) k * dim + d] = (float) (sum / count);
    }
}
