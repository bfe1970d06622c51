// What the kernels of several files share: the grid-stride loop of elementwise kernels and block-wide reductions.
// Included after simil_cuda.h. The reductions combine in a fixed tree over threadIdx.x, so a sum depends only on
// the launch geometry, never on timing: the same inputs give the same bits on every run.
#pragma once

// for (i over [0, n)) spread over the whole grid; a 64-bit index, since i + stride may pass 2^31 near the end.
#define SIMIL_GRID_STRIDE(i, n) \
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)

// Threads per block of the row and block reductions at most (the shared buffers below hold this many).
#define SIMIL_BLOCK_MAX 256

// The sum of every thread's v, in a tree over the block, returned to all threads. blockDim.x: a power of two up
// to SIMIL_BLOCK_MAX; every thread of the block calls it (it synchronizes); buf is the caller's
// __shared__ double[SIMIL_BLOCK_MAX], free again on return.
static __device__ __forceinline__ double simil_block_sum(double v, double* buf) {
    unsigned t = threadIdx.x;
    buf[t] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) buf[t] += buf[t + s];
        __syncthreads();
    }
    double sum = buf[0];
    __syncthreads();
    return sum;
}

// The largest of every thread's v as fmaxf takes it (a NaN loses to any number), as simil_block_sum.
static __device__ __forceinline__ float simil_block_max(float v, float* buf) {
    unsigned t = threadIdx.x;
    buf[t] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) buf[t] = fmaxf(buf[t], buf[t + s]);
        __syncthreads();
    }
    float max = buf[0];
    __syncthreads();
    return max;
}

// The sum of every thread's count, as simil_block_sum; buf is a __shared__ int[SIMIL_BLOCK_MAX].
static __device__ __forceinline__ int simil_block_count(int v, int* buf) {
    unsigned t = threadIdx.x;
    buf[t] = v;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) buf[t] += buf[t + s];
        __syncthreads();
    }
    int sum = buf[0];
    __syncthreads();
    return sum;
}

// Column sums of a [rows, cols] matrix in two steps, so that every column's sum is the same bits whatever the GPU:
// partial[s, c] = the double sum over rows of split s (consecutive rows), then tensor_column_sums_finish adds the
// splits in order (simil.backend.cuda.ColumnSums). Grid (⌈cols / 32⌉, splits), block (32, 8): 32 columns per
// block, 8 threads down each column striding its split's rows; reads are coalesced along the columns.
#define SIMIL_COLUMN_TILE 32
#define SIMIL_COLUMN_GROUPS 8

// Writes partial[blockIdx.y, c], the 8 sums acc of each column added in order; every thread of the block calls it
// (it synchronizes); sums is the kernel's __shared__ double[SIMIL_COLUMN_GROUPS][SIMIL_COLUMN_TILE], one per call
// in a kernel that calls it more than once.
static __device__ __forceinline__ void simil_column_partial(double acc, double (*sums)[SIMIL_COLUMN_TILE],
                                                            double* __restrict__ partial, int cols) {
    sums[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    int c = blockIdx.x * SIMIL_COLUMN_TILE + threadIdx.x;
    if (threadIdx.y == 0 && c < cols) {
        double s = 0;
        for (int g = 0; g < SIMIL_COLUMN_GROUPS; g++) s += sums[g][threadIdx.x];
        partial[(long long)blockIdx.y * cols + c] = s;
    }
}
