// Multi-head attention and its token plumbing, for simil.backend.cuda.CudaAttentionOps: the softmax with scale and
// relative position bias (the products around it are cuBLAS's), head splitting and merging, the relative position
// bias gather, embeddings and the class token, with the contracts of simil.backend.cpu.CpuAttentionOps. An index
// outside its table is neither read nor written through (a gather leaves 0): it raises `code` in the backend's
// failure word, which its next synchronize throws (simil.backend.cuda.DeviceCheck).
#include "simil_cuda.h"
#include "simil_block.h"

// Score rows per block of the softmax kernels: one warp each.
#define ATTENTION_ROWS_PER_BLOCK 8

static __device__ __forceinline__ float attention_warp_max(float v) {
    for (int lane = 16; lane > 0; lane >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, lane));
    return v;
}

static __device__ __forceinline__ float attention_warp_sum(float v) {
    for (int lane = 16; lane > 0; lane >>= 1) v += __shfl_xor_sync(0xffffffff, v, lane);
    return v;
}

// In place on the scores q·kᵀ [B, H, T, T] (rows = B·H·T rows of `tokens`): p = softmax(scale · s + bias[h, i, :]),
// bias [H, T, T] or null.
// grid: ceil(rows / ATTENTION_ROWS_PER_BLOCK) blocks; block: 32 x ATTENTION_ROWS_PER_BLOCK (a warp per row).
extern "C" __global__ void attention_softmax_forward(float *probs, const float *bias, float scale, int rows, int heads,
                                                     int tokens) {
    int row = blockIdx.x * ATTENTION_ROWS_PER_BLOCK + threadIdx.y;
    if (row >= rows) return; // the whole warp leaves together
    float *p = probs + (long long) row * tokens;
    const float *b = bias == 0 ? 0 : bias + ((long long) ((row / tokens) % heads) * tokens + row % tokens) * tokens;
    float max = -INFINITY;
    for (int j = threadIdx.x; j < tokens; j += 32) {
        float s = p[j] * scale + (b == 0 ? 0.0f : b[j]);
        p[j] = s;
        max = fmaxf(max, s);
    }
    max = attention_warp_max(max);
    float sum = 0;
    for (int j = threadIdx.x; j < tokens; j += 32) {
        float e = expf(p[j] - max);
        p[j] = e;
        sum += e;
    }
    float inv = 1.0f / attention_warp_sum(sum);
    for (int j = threadIdx.x; j < tokens; j += 32) p[j] *= inv;
}

// In place on dP = dOut·vᵀ [B, H, T, T]: dS = P ⊙ (dP − Σ_j dP·P), the gradient of the pre-softmax scores (the
// scale is applied by the products that follow).
// grid: ceil(rows / ATTENTION_ROWS_PER_BLOCK) blocks; block: 32 x ATTENTION_ROWS_PER_BLOCK (a warp per row).
extern "C" __global__ void attention_softmax_backward(float *d_scores, const float *probs, int rows, int tokens) {
    int row = blockIdx.x * ATTENTION_ROWS_PER_BLOCK + threadIdx.y;
    if (row >= rows) return;
    float *ds = d_scores + (long long) row * tokens;
    const float *p = probs + (long long) row * tokens;
    float dot = 0;
    for (int j = threadIdx.x; j < tokens; j += 32) dot += ds[j] * p[j];
    dot = attention_warp_sum(dot);
    for (int j = threadIdx.x; j < tokens; j += 32) ds[j] = p[j] * (ds[j] - dot);
}

// dBias[e] += Σ_b dS[b, e] over the bias's H·T·T elements e, summed in batch order as the CPU does.
// grid: Launch.overElements(bias_size), grid-stride; block: 256.
extern "C" __global__ void attention_bias_backward(const float *d_scores, float *d_bias, int batch, long long bias_size) {
    SIMIL_GRID_STRIDE(e, bias_size) {
        float acc = 0;
        for (int b = 0; b < batch; b++) acc += d_scores[b * bias_size + e];
        d_bias[e] += acc;
    }
}

// qkv [B, T, 3·H·Dh] → q, k, v [B, H, T, Dh], adding qkv_bias [3·H·Dh] unless it is null.
// grid: Launch.overElements(n = B·T·3·H·Dh) over qkv's elements, grid-stride; block: 256.
extern "C" __global__ void attention_split_heads(const float *qkv, const float *qkv_bias, float *q, float *k, float *v,
                                                 int heads, int tokens, int head_dim, long long n) {
    int dim = heads * head_dim;
    SIMIL_GRID_STRIDE(i, n) {
        long long bt = i / (3 * dim);
        int packed = (int) (i % (3 * dim)), part = packed / dim, f = packed % dim;
        long long b = bt / tokens, t = bt % tokens;
        float *dst = part == 0 ? q : part == 1 ? k : v;
        dst[((b * heads + f / head_dim) * tokens + t) * head_dim + f % head_dim] =
                qkv_bias == 0 ? qkv[i] : qkv[i] + qkv_bias[packed];
    }
}

// The inverse: dq, dk, dv [B, H, T, Dh] packed into dQkv [B, T, 3·H·Dh] (overwrites).
// grid: Launch.overElements(n = B·T·3·H·Dh) over dQkv's elements, grid-stride; block: 256.
extern "C" __global__ void attention_split_heads_backward(const float *dq, const float *dk, const float *dv, float *d_qkv,
                                                          int heads, int tokens, int head_dim, long long n) {
    int dim = heads * head_dim;
    SIMIL_GRID_STRIDE(i, n) {
        long long bt = i / (3 * dim);
        int packed = (int) (i % (3 * dim)), part = packed / dim, f = packed % dim;
        long long b = bt / tokens, t = bt % tokens;
        const float *src = part == 0 ? dq : part == 1 ? dk : dv;
        d_qkv[i] = src[((b * heads + f / head_dim) * tokens + t) * head_dim + f % head_dim];
    }
}

// Copies between split [B, H, T, Dh] and merged [B, T, H·Dh] heads: to merged when to_merged != 0, else back.
// grid: Launch.overElements(n = B·T·H·Dh) over merged's elements, grid-stride; block: 256.
extern "C" __global__ void attention_permute_heads(float *split, float *merged, int heads, int tokens, int head_dim,
                                                   long long n, int to_merged) {
    int dim = heads * head_dim;
    SIMIL_GRID_STRIDE(i, n) {
        long long bt = i / dim, b = bt / tokens, t = bt % tokens;
        int f = (int) (i % dim);
        long long s = ((b * heads + f / head_dim) * tokens + t) * head_dim + f % head_dim;
        if (to_merged) merged[i] = split[s];
        else split[s] = merged[i];
    }
}

// BEiT's relative position bias: out[h, c] = table[index[c], h] over the T·T cells c, table [entries, H].
// grid: Launch.overElements(heads · cells) over out's elements, grid-stride; block: 256.
extern "C" __global__ void attention_relative_position_bias(const float *table, const int *index, float *out, int *failure,
                                                            int code, int entries, int heads, int cells) {
    long long n = (long long) heads * cells;
    SIMIL_GRID_STRIDE(o, n) {
        int h = (int) (o / cells), e = index[o % cells];
        if (e < 0 || e >= entries) {
            atomicMax(failure, code);
            out[o] = 0;
        } else {
            out[o] = table[(long long) e * heads + h];
        }
    }
}

// Its backward: dTable[index[c], h] += dBias[h, c], by atomic adds (cells share entries).
// grid: Launch.overElements(heads · cells) over dBias's elements, grid-stride; block: 256.
extern "C" __global__ void attention_relative_position_bias_backward(const int *index, const float *d_bias, float *d_table,
                                                                     int *failure, int code, int entries, int heads,
                                                                     int cells) {
    long long n = (long long) heads * cells;
    SIMIL_GRID_STRIDE(o, n) {
        int h = (int) (o / cells), e = index[o % cells];
        if (e < 0 || e >= entries) {
            atomicMax(failure, code);
            continue;
        }
        atomicAdd(&d_table[(long long) e * heads + h], d_bias[o]);
    }
}

// out[i, :] = table[ids[i], :], rows of `dim`, table [rows, dim].
// grid: Launch.overElements(n = ids · dim) over out's elements, grid-stride; block: 256.
extern "C" __global__ void attention_embedding_forward(const float *table, const int *ids, float *out, int *failure, int code,
                                                       int rows, int dim, long long n) {
    SIMIL_GRID_STRIDE(i, n) {
        int id = ids[i / dim];
        if (id < 0 || id >= rows) {
            atomicMax(failure, code);
            out[i] = 0;
        } else {
            out[i] = table[(long long) id * dim + i % dim];
        }
    }
}

// dTable[ids[i], :] += dOut[i, :], by atomic adds (ids repeat).
// grid: Launch.overElements(n = ids · dim) over dOut's elements, grid-stride; block: 256.
extern "C" __global__ void attention_embedding_backward(const int *ids, const float *d_out, float *d_table, int *failure,
                                                        int code, int rows, int dim, long long n) {
    SIMIL_GRID_STRIDE(i, n) {
        int id = ids[i / dim];
        if (id < 0 || id >= rows) {
            atomicMax(failure, code);
            continue;
        }
        atomicAdd(&d_table[(long long) id * dim + i % dim], d_out[i]);
    }
}

// out [B, N+1, D] = [cls ; x[b]] for each b, x [B, N, D].
// grid: Launch.overElements(n = B·(N+1)·D) over out's elements, grid-stride; block: 256.
extern "C" __global__ void attention_prepend_token(const float *x, const float *cls, float *out, int tokens, int dim,
                                                   long long n) {
    SIMIL_GRID_STRIDE(i, n) {
        long long bt = i / dim, b = bt / (tokens + 1);
        int t = (int) (bt % (tokens + 1)), c = (int) (i % dim);
        out[i] = t == 0 ? cls[c] : x[(b * tokens + t - 1) * dim + c];
    }
}

// dx = dOut[:, 1:, :] (overwrites), dx [B, N, D].
// grid: Launch.overElements(n = B·N·D) over dx's elements, grid-stride; block: 256.
extern "C" __global__ void attention_prepend_token_backward_input(const float *d_out, float *dx, int tokens, int dim,
                                                                  long long n) {
    SIMIL_GRID_STRIDE(i, n) {
        long long bt = i / dim, b = bt / tokens, t = bt % tokens;
        dx[i] = d_out[(b * (tokens + 1) + t + 1) * dim + i % dim];
    }
}

// dCls[c] += Σ_b dOut[b, 0, c], summed in double in batch order as the CPU does.
// grid: ceil(dim / 256) blocks; block: 256 (a thread per column).
extern "C" __global__ void attention_prepend_token_backward_token(const float *d_out, float *d_cls, int batch, int tokens,
                                                                  int dim) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= dim) return;
    double acc = 0;
    for (int b = 0; b < batch; b++) acc += d_out[(long long) b * (tokens + 1) * dim + c];
    d_cls[c] += (float) acc;
}
