// Patch masking for BEiT's masked image modelling, for simil.backend.cuda.CudaAttentionOps (mask-token
// substitution) and simil.backend.cuda.CudaRandomOps (blockwise mask generation), as the CPU backend does them.
#include "simil_cuda.h"
#include "simil_block.h"
#include "simil_rng.h"

// simil.tensor.BlockwiseMasking: draws per block before giving up.
#define MASKING_ATTEMPTS 10
// 2^-53, exactly.
#define MASKING_TWO_POW_MINUS_53 1.1102230246251565e-16

// y[r, :] = mask[r] != 0 ? mask_embedding : x[r, :] over rows of `dim`; y may be x.
// grid: Launch.overElements(n), grid-stride; block: 256.
extern "C" __global__ void masking_tokens_forward(const float *x, const int *mask, const float *mask_embedding, float *y,
                                                  int dim, long long n) {
    SIMIL_GRID_STRIDE(i, n) {
        y[i] = mask[i / dim] != 0 ? mask_embedding[i % dim] : x[i];
    }
}

// dx = dy where unmasked, 0 where masked (overwrites; dx may be dy).
// grid: Launch.overElements(n), grid-stride; block: 256.
extern "C" __global__ void masking_tokens_backward_input(const float *dy, const int *mask, float *dx, int dim, long long n) {
    SIMIL_GRID_STRIDE(i, n) {
        dx[i] = mask[i / dim] != 0 ? 0.0f : dy[i];
    }
}

// dMaskEmbedding's sums, the first step of simil_block.h's column sums: partial[s, c] = Σ dy[r, c] over the masked
// rows r of split s (tensor_column_sums_finish adds them to dMaskEmbedding). Runs before
// masking_tokens_backward_input, which may overwrite dy.
// grid: (ceil(dim / SIMIL_COLUMN_TILE), splits); block: SIMIL_COLUMN_TILE x SIMIL_COLUMN_GROUPS.
extern "C" __global__ void masking_tokens_backward_embedding_partial(const float *dy, const int *mask, double *partial,
                                                                     int rows, int dim, int rows_per_split) {
    __shared__ double sums[SIMIL_COLUMN_GROUPS][SIMIL_COLUMN_TILE];
    int c = blockIdx.x * SIMIL_COLUMN_TILE + threadIdx.x;
    int r0 = blockIdx.y * rows_per_split, r1 = rows - r0 < rows_per_split ? rows : r0 + rows_per_split;
    double sum = 0;
    if (c < dim) {
        for (int r = r0 + threadIdx.y; r < r1; r += SIMIL_COLUMN_GROUPS) {
            if (mask[r] != 0) sum += dy[(long long) r * dim + c];
        }
    }
    simil_column_partial(sum, sums, partial, dim);
}

// A double from its IEEE bits (Java's Double.doubleToRawLongBits), as kernel arguments carry doubles.
static __device__ __forceinline__ double masking_double_of_bits(long long bits) {
    union { long long bits; double value; } u;
    u.bits = bits;
    return u.value;
}

// One image's draws (BlockwiseMasking.Draws): draw k is Rng.bits(stream, k).
struct masking_draws {
    long long stream;
    long long next;
};

// Uniform in [0, 1): the top 53 bits.
static __device__ __forceinline__ double masking_uniform(masking_draws *d) {
    return (double) (rng_bits(d->stream, d->next++) >> 11) * MASKING_TWO_POW_MINUS_53;
}

// Uniform integer in [0, bound), bound >= 1: (top 32 bits · bound) >> 32.
static __device__ __forceinline__ int masking_below(masking_draws *d, int bound) {
    return (int) (((rng_bits(d->stream, d->next++) >> 32) * (unsigned long long) bound) >> 32);
}

// Java's Math.round for the positive values a block side takes: floor(v + 0.5) is exact there.
static __device__ __forceinline__ int masking_round(double v) {
    return (int) floor(v + 0.5);
}

// BlockwiseMasking.addBlock: one block of at most `budget` new patches on `row`; returns how many it masked (0 after
// MASKING_ATTEMPTS failed draws). Same draws in the same order, same double arithmetic (the products Java rounds
// alone are __dmul_rn, never fused into a multiply-add).
static __device__ int masking_add_block(masking_draws *d, int *row, int height, int width, int min_block, int budget,
                                        double log_low) {
    double log_high = -log_low;
    for (int attempt = 0; attempt < MASKING_ATTEMPTS; attempt++) {
        double area = min_block + __dmul_rn((double) (budget - min_block), masking_uniform(d));
        double aspect = exp(log_low + __dmul_rn(log_high - log_low, masking_uniform(d)));
        int h = masking_round(sqrt(area * aspect));
        int w = masking_round(sqrt(area / aspect));
        if (w >= width || h >= height) continue;
        int top = masking_below(d, height - h + 1);
        int left = masking_below(d, width - w + 1);
        int already = 0;
        for (int i = top; i < top + h; i++) for (int j = left; j < left + w; j++) already += row[i * width + j];
        int fresh = h * w - already;
        if (fresh > 0 && fresh <= budget) {
            for (int i = top; i < top + h; i++) for (int j = left; j < left + w; j++) row[i * width + j] = 1;
            return fresh;
        }
    }
    return 0;
}

// BEiT's blockwise masks: row b of mask [batch, height·width] (1 = masked) is BlockwiseMasking.mask(seed, images[b]),
// drawn by one thread with the image's own stream Rng.bits(seed, images[b]) exactly as the CPU draws it; so the
// rows equal the CPU's, except where exp's last bit (the device's against the JVM's) tips a block side across a
// rounding midpoint. log_low_bits: the bits of BlockwiseMasking.logMinAspect(), the JVM's ln 0.3.
// grid: ceil(batch / 64) blocks; block: 64 (one thread per image); no dynamic shared memory.
extern "C" __global__ void masking_blockwise_mask(const int *images, int *mask, int batch, long long seed, int height,
                                                  int width, int target, int min_block, long long log_low_bits) {
    int b = blockIdx.x * blockDim.x + threadIdx.x;
    if (b >= batch) return;
    int patches = height * width;
    int *row = mask + (long long) b * patches;
    for (int i = 0; i < patches; i++) row[i] = 0;
    masking_draws d;
    d.stream = (long long) rng_bits(seed, images[b]);
    d.next = 0;
    double log_low = masking_double_of_bits(log_low_bits);
    int count = 0;
    while (count < target) {
        int added = masking_add_block(&d, row, height, width, min_block, target - count, log_low);
        if (added == 0) break;
        count += added;
    }
}
