// TensorOps on the GPU (simil.backend.cuda.CudaTensorOps): elementwise arithmetic, row and column reductions,
// token means, the transposes and gathers of BEiT, and the mask compaction of MIM. Each kernel's contract is its
// CPU twin's in simil.backend.cpu.CpuTensorOps (the same overwrite or accumulate, the same sums in double where it
// sums in double). Sizes are element counts of the views the Java side checked; pointers point at their first
// elements.
#include "simil_cuda.h"
#include "simil_block.h"

// Launch geometry of the elementwise kernels below: Launch.overElements(n), a grid-stride loop of 256 threads
// per block, at most 65,535 blocks.

// t[i] = value.
extern "C" __global__ void tensor_fill(float* t, int n, float value) {
    SIMIL_GRID_STRIDE(i, n) t[i] = value;
}

// t[i] *= alpha.
extern "C" __global__ void tensor_scale(float* t, int n, float alpha) {
    SIMIL_GRID_STRIDE(i, n) t[i] *= alpha;
}

// y[i] += alpha · x[i].
extern "C" __global__ void tensor_axpy(const float* __restrict__ x, float* __restrict__ y, int n, float alpha) {
    SIMIL_GRID_STRIDE(i, n) y[i] += alpha * x[i];
}

// out[i] = a[i] + b[i]; out may alias a or b (so no __restrict__).
extern "C" __global__ void tensor_add(const float* a, const float* b, float* out, int n) {
    SIMIL_GRID_STRIDE(i, n) out[i] = a[i] + b[i];
}

// out[i] = a[i] · b[i]; out may alias a or b.
extern "C" __global__ void tensor_multiply(const float* a, const float* b, float* out, int n) {
    SIMIL_GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

// out[r, c] = x[r, c] · factors[r] over n = rows · cols elements; out may alias x.
extern "C" __global__ void tensor_scale_rows(const float* x, const float* __restrict__ factors, float* out, int n, int cols) {
    SIMIL_GRID_STRIDE(i, n) out[i] = x[i] * factors[i / cols];
}

// x[r, c] += v[c] over n = rows · cols elements.
extern "C" __global__ void tensor_add_row_vector(float* __restrict__ x, const float* __restrict__ v, int n, int cols) {
    SIMIL_GRID_STRIDE(i, n) x[i] += v[i % cols];
}

// y[r, c] = x[r, c] · g[c] over n = rows · cols elements; y may alias x.
extern "C" __global__ void tensor_mul_row_vector(const float* x, const float* __restrict__ g, float* y, int n, int cols) {
    SIMIL_GRID_STRIDE(i, n) y[i] = x[i] * g[i % cols];
}

// out[r, w] = x[r, W − 1 − w] over n = rows · W elements (out is not x).
extern "C" __global__ void tensor_flip_last_dim(const float* __restrict__ x, float* __restrict__ out, int n, int w) {
    SIMIL_GRID_STRIDE(i, n) {
        long long row = i / w, col = i - row * w;
        out[i] = x[row * w + (w - 1 - col)];
    }
}

// out[b, d] = Σ_{t ≥ from} x[b, t, d] · inv, inv = 1 / (tokens − from): one thread per (b, d) over n = batch · dim,
// summing in float in token order as the CPU does (neighbouring threads read neighbouring d: coalesced).
extern "C" __global__ void tensor_mean_tokens(const float* __restrict__ x, float* __restrict__ out, int n, int tokens,
                                              int dim, int from, float inv) {
    SIMIL_GRID_STRIDE(i, n) {
        long long b = i / dim, d = i - b * dim;
        const float* xb = x + b * tokens * dim + d;
        float acc = 0.0f;
        for (int t = from; t < tokens; t++) acc += xb[(long long)t * dim];
        out[i] = acc * inv;
    }
}

// dx[b, t, d] = t < from ? 0 : dOut[b, d] · inv over n = batch · tokens · dim elements (overwrites dx).
extern "C" __global__ void tensor_mean_tokens_backward(const float* __restrict__ dOut, float* __restrict__ dx, int n,
                                                       int tokens, int dim, int from, float inv) {
    SIMIL_GRID_STRIDE(i, n) {
        long long d = i % dim, bt = i / dim, t = bt % tokens, b = bt / tokens;
        dx[i] = t < from ? 0.0f : dOut[b * dim + d] * inv;
    }
}

// out[n, c, p] = (x[n, c, p] − mean[c]) · invStd[c] over n = batch · channels · plane elements; out may alias x.
extern "C" __global__ void tensor_normalize_channels(const float* x, const float* __restrict__ mean,
                                                     const float* __restrict__ invStd, float* out, int n, int channels,
                                                     int plane) {
    SIMIL_GRID_STRIDE(i, n) {
        int c = (int)((i / plane) % channels);
        out[i] = (x[i] - mean[c]) * invStd[c];
    }
}

// out[r] = src[ids[r]] for r < n; an id outside [0, srcSize) leaves 0 and raises `code` in the backend's failure
// word (atomicMax), which the host's next synchronize turns into an exception.
extern "C" __global__ void tensor_gather_ints(const int* __restrict__ src, const int* __restrict__ ids,
                                              int* __restrict__ out, int n, int srcSize, int* failure, int code) {
    SIMIL_GRID_STRIDE(i, n) {
        int id = ids[i];
        if (id < 0 || id >= srcSize) {
            atomicMax(failure, code);
            out[i] = 0;
        } else {
            out[i] = src[id];
        }
    }
}

// partial[s, c] = Σ_{r in split s} x[r, c] (sumRows' first step); the geometry of simil_block.h's column sums.
extern "C" __global__ void tensor_sum_rows_partial(const float* __restrict__ x, double* __restrict__ partial, int rows,
                                                   int cols, int rowsPerSplit) {
    int c = blockIdx.x * SIMIL_COLUMN_TILE + threadIdx.x;
    __shared__ double sums[SIMIL_COLUMN_GROUPS][SIMIL_COLUMN_TILE];
    int r0 = blockIdx.y * rowsPerSplit, r1 = r0 + rowsPerSplit < rows ? r0 + rowsPerSplit : rows;
    double acc = 0;
    if (c < cols) {
        for (int r = r0 + threadIdx.y; r < r1; r += SIMIL_COLUMN_GROUPS) acc += x[(long long)r * cols + c];
    }
    simil_column_partial(acc, sums, partial, cols);
}

// dx[r, c] = dy[r, c] · g[c] (overwrites dx) and partial[s, c] = Σ_{r in split s} dy[r, c] · x[r, c]: the backward
// of mulRowVector, whose dg the finish kernel adds in; geometry as tensor_sum_rows_partial.
extern "C" __global__ void tensor_mul_row_vector_backward_partial(const float* __restrict__ x,
                                                                  const float* __restrict__ g,
                                                                  const float* __restrict__ dy, float* __restrict__ dx,
                                                                  double* __restrict__ partial, int rows, int cols,
                                                                  int rowsPerSplit) {
    int c = blockIdx.x * SIMIL_COLUMN_TILE + threadIdx.x;
    __shared__ double sums[SIMIL_COLUMN_GROUPS][SIMIL_COLUMN_TILE];
    int r0 = blockIdx.y * rowsPerSplit, r1 = r0 + rowsPerSplit < rows ? r0 + rowsPerSplit : rows;
    double acc = 0;
    if (c < cols) {
        float gc = g[c];
        for (int r = r0 + threadIdx.y; r < r1; r += SIMIL_COLUMN_GROUPS) {
            long long i = (long long)r * cols + c;
            float d = dy[i];
            acc += d * x[i];
            dx[i] = d * gc;
        }
    }
    simil_column_partial(acc, sums, partial, cols);
}

// The second step of simil_block.h's column sums, for every kernel that makes the partials: out[c] = (accumulate ?
// out[c] : 0) + Σ_s partial[s, c], in double, rounded once: Launch.overElements(cols).
extern "C" __global__ void tensor_column_sums_finish(const double* __restrict__ partial, float* __restrict__ out,
                                                     int splits, int cols, int accumulate) {
    SIMIL_GRID_STRIDE(c, cols) {
        double s = accumulate ? (double)out[c] : 0.0;
        for (int p = 0; p < splits; p++) s += partial[(long long)p * cols + c];
        out[c] = (float)s;
    }
}

// partial[block] = Σ x[i]² in double over the block's share of a grid-stride loop: a fixed grid of at most 1024
// blocks of SIMIL_BLOCK_MAX threads that the Java side derives from n alone, so the sum does not depend on the GPU.
extern "C" __global__ void tensor_sum_of_squares_partial(const float* __restrict__ x, double* __restrict__ partial,
                                                         int n) {
    __shared__ double buf[SIMIL_BLOCK_MAX];
    double acc = 0;
    SIMIL_GRID_STRIDE(i, n) acc += (double)x[i] * x[i];
    double s = simil_block_sum(acc, buf);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// out[0] = (accumulate ? out[0] : 0) + Σ_p partial[p], in double: one block of SIMIL_BLOCK_MAX threads.
extern "C" __global__ void tensor_sum_of_squares_finish(const double* __restrict__ partial, float* __restrict__ out,
                                                        int parts, int accumulate) {
    __shared__ double buf[SIMIL_BLOCK_MAX];
    double acc = 0;
    for (int p = threadIdx.x; p < parts; p += blockDim.x) acc += partial[p];
    double s = simil_block_sum(acc, buf);
    if (threadIdx.x == 0) out[0] = (float)((accumulate ? (double)out[0] : 0.0) + s);
}

// out[b, j, i] = x[b, i, j] for x [B, rows, cols]: a 32×32 tile through shared memory (one column of padding keeps
// the transposed reads off a single bank), so that both the reads and the writes are coalesced.
// Grid (⌈cols / 32⌉, ⌈rows / 32⌉, min(batch, 65535)), block (32, 8); batches beyond the grid stride over z.
#define TENSOR_TILE 32
#define TENSOR_TILE_ROWS 8

extern "C" __global__ void tensor_transpose_last_two(const float* __restrict__ x, float* __restrict__ out, int batch,
                                                     int rows, int cols) {
    __shared__ float tile[TENSOR_TILE][TENSOR_TILE + 1];
    long long plane = (long long)rows * cols;
    for (int b = blockIdx.z; b < batch; b += gridDim.z) {
        const float* xb = x + b * plane;
        float* ob = out + b * plane;
        int j = blockIdx.x * TENSOR_TILE + threadIdx.x;
        for (int k = threadIdx.y; k < TENSOR_TILE; k += TENSOR_TILE_ROWS) {
            int i = blockIdx.y * TENSOR_TILE + k;
            if (i < rows && j < cols) tile[k][threadIdx.x] = xb[(long long)i * cols + j];
        }
        __syncthreads();
        int i = blockIdx.y * TENSOR_TILE + threadIdx.x;
        for (int k = threadIdx.y; k < TENSOR_TILE; k += TENSOR_TILE_ROWS) {
            int jj = blockIdx.x * TENSOR_TILE + k;
            if (i < rows && jj < cols) ob[(long long)jj * rows + i] = tile[threadIdx.x][k];
        }
        __syncthreads();
    }
}

// The non-zeros of an int32 mask [B, N] (total = B·N entries) as a gather list of `capacity` entries: the k-th
// non-zero i in row-major order gives rows[k] = (i / N)·rowStride + rowOffset + i % N and valid[k] = 1, the rest of
// the list 0 and 0; count[0] (when not null) = the number of non-zeros, as a float. More non-zeros than the capacity
// write only the first `capacity` and raise `code` in the failure word.
// One block of MASKED_ROWS_THREADS threads: each counts a contiguous chunk of the mask, an exclusive scan of the
// counts in shared memory gives each chunk its first slot, then each writes its chunk's entries in order.
#define TENSOR_MASKED_ROWS_THREADS 1024

extern "C" __global__ void tensor_masked_rows(const int* __restrict__ mask, int* __restrict__ rows,
                                              int* __restrict__ valid, float* count, int total, int n, int rowStride,
                                              int rowOffset, int capacity, int* failure, int code) {
    __shared__ int scan[2][TENSOR_MASKED_ROWS_THREADS];
    int t = threadIdx.x;
    int chunk = (total + TENSOR_MASKED_ROWS_THREADS - 1) / TENSOR_MASKED_ROWS_THREADS;
    int from = t * chunk < total ? t * chunk : total, to = from + chunk < total ? from + chunk : total;
    int mine = 0;
    for (int i = from; i < to; i++) mine += mask[i] != 0;
    // Hillis–Steele inclusive scan, double-buffered: after the loop scan[in][t] = Σ_{u ≤ t} mine_u.
    int in = 0;
    scan[0][t] = mine;
    __syncthreads();
    for (int step = 1; step < TENSOR_MASKED_ROWS_THREADS; step <<= 1) {
        int v = scan[in][t] + (t >= step ? scan[in][t - step] : 0);
        scan[1 - in][t] = v;
        in = 1 - in;
        __syncthreads();
    }
    int found = scan[in][TENSOR_MASKED_ROWS_THREADS - 1];
    int k = scan[in][t] - mine;
    for (int i = from; i < to; i++) {
        if (mask[i] == 0) continue;
        if (k < capacity) {
            rows[k] = (i / n) * rowStride + rowOffset + i % n;
            valid[k] = 1;
        }
        k++;
    }
    for (int j = found + t; j < capacity; j += TENSOR_MASKED_ROWS_THREADS) {
        rows[j] = 0;
        valid[j] = 0;
    }
    if (t == 0) {
        if (found > capacity) atomicMax(failure, code);
        if (count) count[0] = (float)found;
    }
}
