// All-pairs evaluation kernels of simil.backend.cuda.CudaPairScoringOps: the metric network's second and third
// layers over a tile of pairs in int8 (the CPU's scheme, native/simil_pairs.c), and the score histograms kept on the
// device (CudaScoreHistogram), so that the logits of 10^8 pairs never leave it.
#include "simil_cuda.h"
#include "simil_block.h"

// ---- int8 metric network -------------------------------------------------------------------------------------

enum {
    PAIRS_PANEL = 64,        // output columns per packed panel of W2 (QuantizedMetric; NativePairs.PANEL)
    PAIRS_PER_BLOCK = 32,    // pairs per block of pair_scoring_int8_tile: their h1, H bytes each, in shared memory
    PAIRS_PER_WARP = 4,      // 8 warps × 4 pairs
    PAIRS_LEVELS = 255       // u8 levels of h1, as the CPU's AVX-512 VNNI copy
};

// max(a, b), NaN when either is (Java's Math.max, which the CPU's quantization uses).
static __device__ __forceinline__ float pairs_max_nan(float a, float b) {
    return a > b || a != a ? a : b;
}

// Java's Math.round(x) (ties up) taken into [-127, 127]; NaN gives 0, as Math.round.
static __device__ __forceinline__ int pairs_round_s8(float x) {
    if (x != x) return 0;
    float down = floorf(x);
    float rounded = x - down >= 0.5f ? down + 1.0f : down;  // x − floor(x) is exact
    return rounded > 127.0f ? 127 : rounded < -127.0f ? -127 : (int) rounded;
}

// W2 [H, H] (out × in) as s8 with one scale per output row n: scale[n] = max|W2[n]| / 127, q = round(127 · w / max),
// exactly as CpuPairScoringOps.quantize, packed [H/64 panels][H/4 k-groups][64 columns] of int32 holding k..k+3 as
// bytes, low first, so that a warp reads 32 consecutive columns of one k-group in one line.
// One block of 256 threads per output row: grid H (Launch.perRow(H, 256, 0)).
extern "C" __global__ void pair_scoring_quantize_weights(const float* w2, int hidden, int* packed, float* scales) {
    __shared__ float maxima[256];  // a tree of its own: simil_block_max lets NaN lose, Math.max lets it win
    int n = blockIdx.x;
    const float* row = w2 + (long long) n * hidden;
    float m = 0.0f;
    for (int k = threadIdx.x; k < hidden; k += blockDim.x) m = pairs_max_nan(m, fabsf(row[k]));
    maxima[threadIdx.x] = m;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if ((int) threadIdx.x < half) maxima[threadIdx.x] = pairs_max_nan(maxima[threadIdx.x], maxima[threadIdx.x + half]);
        __syncthreads();
    }
    m = maxima[0];
    float inv = m == 0.0f ? 0.0f : 127.0f / m;
    int* panel = packed + (long long) (n / PAIRS_PANEL) * (hidden / 4) * PAIRS_PANEL + n % PAIRS_PANEL;
    for (int k4 = threadIdx.x; k4 < hidden / 4; k4 += blockDim.x) {
        unsigned int word = 0;
        for (int b = 0; b < 4; b++) word |= ((unsigned int) pairs_round_s8(row[4 * k4 + b] * inv) & 0xffu) << (8 * b);
        panel[(long long) k4 * PAIRS_PANEL] = (int) word;
    }
    if (threadIdx.x == 0) scales[n] = m / 127.0f;
}

// logits[t] for the pairs t = (r, c) = (t / columns, t % columns) of a tile, t < pairs:
//   w3 · relu(W2 · relu(firstHalf[r] + secondHalf[c]) + b2) + b3,
// with h1 = relu(firstHalf[r] + secondHalf[c]) quantized to u8 with one scale per pair (max / 255, round to nearest
// even) and W2 s8 per output row (pair_scoring_quantize_weights): the CPU's AVX-512 VNNI scheme, so the int32 sums
// are the CPU's exactly; only the float epilogue (dequantization, b2, relu, the dot with w3) sums in another order.
// Each warp quantizes its 4 pairs into shared memory, then runs over W2 two panels (128 columns) at a time: lane l
// holds the 4 × 4 sums of its pairs with columns l, l + 32, l + 64, l + 96, one dp4a per product of 4 k, reading h1
// as broadcasts from shared memory and W2 in coalesced lines; the dot with w3 is summed per lane over its columns,
// then over the lanes in a fixed butterfly, so a pair's logit never depends on where it sits in a tile.
// Grid ceil(pairs / 32) blocks of 256 threads, dynamic shared memory 32 · H bytes (H a multiple of 64; with the 128
// static bytes of pairScale, 32 · (H + 4) ≤ 48 KiB).
extern "C" __global__ void pair_scoring_int8_tile(const float* firstHalf, const float* secondHalf, int columns, int hidden,
                                                  int pairs, const int* packed, const float* rowScales, const float* b2,
                                                  const float* w3, float b3, float* logits) {
    SIMIL_DYNAMIC_SHARED(unsigned int, h1);  // [32 pairs][H / 4 words of 4 u8]
    __shared__ float pairScale[PAIRS_PER_BLOCK];
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32, words = hidden / 4;
    long long first = (long long) blockIdx.x * PAIRS_PER_BLOCK + warp * PAIRS_PER_WARP;

    // h1 of the warp's pairs; pairs past the tile's end get zeros (their sums are computed and dropped).
    for (int i = 0; i < PAIRS_PER_WARP; i++) {
        long long t = first + i;
        unsigned int* out = h1 + (warp * PAIRS_PER_WARP + i) * words;
        if (t >= pairs) {
            for (int k4 = lane; k4 < words; k4 += 32) out[k4] = 0;
            if (lane == 0) pairScale[warp * PAIRS_PER_WARP + i] = 0.0f;
            continue;
        }
        const float* a = firstHalf + t / columns * hidden;
        const float* b = secondHalf + t % columns * hidden;
        float m = 0.0f;
        for (int k = lane; k < hidden; k += 32) m = fmaxf(m, fmaxf(a[k] + b[k], 0.0f));
        for (int offset = 16; offset > 0; offset /= 2) m = fmaxf(m, __shfl_xor_sync(0xffffffff, m, offset));
        float inv = m == 0.0f ? 0.0f : PAIRS_LEVELS / m;
        for (int k4 = lane; k4 < words; k4 += 32) {
            unsigned int word = 0;
            for (int j = 0; j < 4; j++) {
                // v · inv ≤ 255 · (1 + 2^-23): the level fits a byte
                float v = fmaxf(a[4 * k4 + j] + b[4 * k4 + j], 0.0f);
                word |= (unsigned int) rintf(v * inv) << (8 * j);
            }
            out[k4] = word;
        }
        if (lane == 0) pairScale[warp * PAIRS_PER_WARP + i] = m / PAIRS_LEVELS;
    }
    __syncthreads();

    const unsigned int* mine = h1 + warp * PAIRS_PER_WARP * words;
    float scale[PAIRS_PER_WARP], partial[PAIRS_PER_WARP];
    for (int i = 0; i < PAIRS_PER_WARP; i++) {
        scale[i] = pairScale[warp * PAIRS_PER_WARP + i];
        partial[i] = 0.0f;
    }
    for (int n0 = 0; n0 < hidden; n0 += 2 * PAIRS_PANEL) {
        // Where H ends after one panel, the second panel's sums repeat the first's and are dropped.
        bool two = n0 + PAIRS_PANEL < hidden;
        const int* panel0 = packed + (long long) (n0 / PAIRS_PANEL) * words * PAIRS_PANEL + lane;
        const int* panel1 = two ? panel0 + (long long) words * PAIRS_PANEL : panel0;
        int acc[PAIRS_PER_WARP][4];
        for (int i = 0; i < PAIRS_PER_WARP; i++) for (int j = 0; j < 4; j++) acc[i][j] = 0;
        for (int k4 = 0; k4 < words; k4++) {
            int w0 = panel0[k4 * PAIRS_PANEL], w1 = panel0[k4 * PAIRS_PANEL + 32];
            int w2 = panel1[k4 * PAIRS_PANEL], w3v = panel1[k4 * PAIRS_PANEL + 32];
            for (int i = 0; i < PAIRS_PER_WARP; i++) {
                unsigned int x = mine[i * words + k4];
                acc[i][0] = simil_dp4a_us(x, w0, acc[i][0]);
                acc[i][1] = simil_dp4a_us(x, w1, acc[i][1]);
                acc[i][2] = simil_dp4a_us(x, w2, acc[i][2]);
                acc[i][3] = simil_dp4a_us(x, w3v, acc[i][3]);
            }
        }
        for (int j = 0; j < 4; j++) {
            if (j >= 2 && !two) break;
            int col = n0 + lane + 32 * j;
            float colScale = rowScales[col], bias = b2[col], out = w3[col];
            for (int i = 0; i < PAIRS_PER_WARP; i++) {
                float y = fmaf((float) acc[i][j], scale[i] * colScale, bias);
                partial[i] = fmaf(fmaxf(y, 0.0f), out, partial[i]);
            }
        }
    }
    for (int i = 0; i < PAIRS_PER_WARP; i++) {
        float sum = partial[i];
        for (int offset = 16; offset > 0; offset /= 2) sum += __shfl_xor_sync(0xffffffff, sum, offset);
        if (lane == 0 && first + i < pairs) logits[first + i] = sum + b3;
    }
}

// ---- score histograms ------------------------------------------------------------------------------------------
// A histogram (CudaScoreHistogram) is one array of unsigned 64-bit counts: "same" pairs per bin [BINS], "different"
// pairs per bin [BINS], then the confusion matrices at T thresholds [4 · T] (tp, fp, fn, tn as ScoreHistogram.Counts),
// then the invalid pairs [1]. Bins take global atomics (they are many and rarely collide); the confusion counts, which
// every pair hits, are counted per block in shared memory (int) and added to the array once per block.
// Every counting kernel: a grid-stride loop (Launch.overElements), dynamic shared memory 4 · (4 · T + 1) bytes.

enum {
    // simil.tensor.ScoreBins: floats below 2^-10 binned by their top bits (bit pattern >> 12), [2^-10, 1] by 2^-21.
    BINS_LOW = (117 << 23) >> 12,        // floatToRawIntBits(2^-10) >>> 12
    BINS_FIRST_UNIFORM = 1 << 11,        // 2^-10 · 2^21
    BINS_COUNT = BINS_LOW + (1 << 21) - BINS_FIRST_UNIFORM + 1
};

// ScoreBins.index of a score in [0, 1]; clearing the sign bit files −0 with +0, as ScoreBins' + 0.0f does.
static __device__ __forceinline__ int pairs_bin(float score) {
    if (score >= 0.0009765625f) return BINS_LOW + (int) (score * 2097152.0f) - BINS_FIRST_UNIFORM;
    return (__float_as_int(score) & 0x7fffffff) >> 12;
}

// simil.tensor.Sigmoid.of: in double, rounded once.
static __device__ __forceinline__ float pairs_sigmoid(float z) {
    if (z >= 0.0f) return (float) (1.0 / (1.0 + exp(-(double) z)));
    double e = exp((double) z);
    return (float) (e / (1.0 + e));
}

// simil.tensor.PosteriorScore.mixed(z, q, shift): σ((z + logit(q) + shift) / 2) in double, q taken into [0, 1]
// (comparisons, not fmax, so that a NaN stays NaN as in Java).
static __device__ __forceinline__ float pairs_mixed(float z, float q, float shift) {
    double p = q;
    if (p < 0.0) p = 0.0;
    if (p > 1.0) p = 1.0;
    double logOdds = 0.5 * ((double) z + (log(p) - log1p(-p)) + (double) shift);
    if (logOdds >= 0.0) return (float) (1.0 / (1.0 + exp(-logOdds)));
    double e = exp(logOdds);
    return (float) (e / (1.0 + e));
}

// simil.tensor.PosteriorScore.of: q as a probability.
static __device__ __forceinline__ float pairs_posterior(float q) {
    return q > 1.0f ? 1.0f : q;
}

// Zeroes the block's confusion counters (shared, 4 · T + 1 ints).
static __device__ __forceinline__ void pairs_begin_counts(int* local, int thresholds) {
    for (int k = threadIdx.x; k < 4 * thresholds + 1; k += blockDim.x) local[k] = 0;
    __syncthreads();
}

// Counts one pair weight times at score: its bin in same or different, and at each threshold t the cell
// 4t + 2 · (score < threshold) + (different); a score that is no probability only as invalid.
static __device__ __forceinline__ void pairs_count(float score, int same, int weight, unsigned long long* counts,
                                                   const float* thresholds, int nThresholds, int* local) {
    if (!(score >= 0.0f && score <= 1.0f)) {
        atomicAdd(&local[4 * nThresholds], weight);
        return;
    }
    atomicAdd(&counts[(same ? 0 : BINS_COUNT) + pairs_bin(score)], (unsigned long long) weight);
    for (int t = 0; t < nThresholds; t++) atomicAdd(&local[4 * t + (score >= thresholds[t] ? 0 : 2) + (same ? 0 : 1)], weight);
}

// Adds the block's confusion counters to the histogram's.
static __device__ __forceinline__ void pairs_end_counts(int* local, unsigned long long* counts, int thresholds) {
    __syncthreads();
    for (int k = threadIdx.x; k < 4 * thresholds + 1; k += blockDim.x) {
        if (local[k] != 0) atomicAdd(&counts[2 * BINS_COUNT + k], (unsigned long long) local[k]);
    }
}

// The pairs of a tile of logits [rows · columns] (row-major): entry (r, c) is the pair (i, j) = (firstRow + r,
// firstColumn + c), "same" where labels[i] == labels[j], i = j skipped. Without reversed (null), σ(logit) once; with
// reversed [columns · rows] (the tile scored with the roles swapped), only j > i, at σ((z + z_reversed) / 2) (the mean
// in float, as the CPU), twice. Geometry: see "score histograms" above.
extern "C" __global__ void pair_scoring_histogram_tile(const float* logits, const float* reversed, const int* labels,
                                                       int rows, int columns, int firstRow, int firstColumn,
                                                       unsigned long long* counts, const float* thresholds, int nThresholds) {
    SIMIL_DYNAMIC_SHARED(int, tileCounts);
    pairs_begin_counts(tileCounts, nThresholds);
    long long total = (long long) rows * columns;
    SIMIL_GRID_STRIDE(e, total) {
        int r = (int) (e / columns), c = (int) (e % columns), i = firstRow + r, j = firstColumn + c;
        int same = labels[i] == labels[j];
        if (reversed == 0) {
            if (i != j) pairs_count(pairs_sigmoid(logits[e]), same, 1, counts, thresholds, nThresholds, tileCounts);
        } else if (j > i) {
            float mean = 0.5f * (logits[e] + reversed[(long long) c * rows + r]);
            pairs_count(pairs_sigmoid(mean), same, 2, counts, thresholds, nThresholds, tileCounts);
        }
    }
    pairs_end_counts(tileCounts, counts, nThresholds);
}

// A list of n pairs: pair k at σ(logits[k]), "same" where same[k] ≠ 0. Geometry: see "score histograms" above.
extern "C" __global__ void pair_scoring_histogram_pairs(const float* logits, const int* same, long long n,
                                                        unsigned long long* counts, const float* thresholds, int nThresholds) {
    SIMIL_DYNAMIC_SHARED(int, listCounts);
    pairs_begin_counts(listCounts, nThresholds);
    SIMIL_GRID_STRIDE(k, n) {
        pairs_count(pairs_sigmoid(logits[k]), same[k] != 0, 1, counts, thresholds, nThresholds, listCounts);
    }
    pairs_end_counts(listCounts, counts, nThresholds);
}

// A tile of posterior pair scores q [rows · columns] (row-major, pairs as in pair_scoring_histogram_tile). Without
// logits (null): PosteriorScore.of(q), pairs j > i, twice. With logits and reversed: the mix of the mean logit
// (as pair_scoring_histogram_tile's) with q, pairs j > i, twice. With logits alone: the mix, every pair i ≠ j once.
// Geometry: see "score histograms" above.
extern "C" __global__ void pair_scoring_histogram_posterior_tile(const float* posterior, const float* logits,
                                                                 const float* reversed, float priorShift,
                                                                 const int* labels, int rows, int columns, int firstRow,
                                                                 int firstColumn, unsigned long long* counts,
                                                                 const float* thresholds, int nThresholds) {
    SIMIL_DYNAMIC_SHARED(int, posteriorTileCounts);
    pairs_begin_counts(posteriorTileCounts, nThresholds);
    int upperOnly = logits == 0 || reversed != 0;
    long long total = (long long) rows * columns;
    SIMIL_GRID_STRIDE(e, total) {
        int r = (int) (e / columns), c = (int) (e % columns), i = firstRow + r, j = firstColumn + c;
        if (upperOnly ? j <= i : j == i) continue;
        float q = posterior[e], score;
        if (logits == 0) score = pairs_posterior(q);
        else if (reversed == 0) score = pairs_mixed(logits[e], q, priorShift);
        else score = pairs_mixed(0.5f * (logits[e] + reversed[(long long) c * rows + r]), q, priorShift);
        pairs_count(score, labels[i] == labels[j], upperOnly ? 2 : 1, counts, thresholds, nThresholds, posteriorTileCounts);
    }
    pairs_end_counts(posteriorTileCounts, counts, nThresholds);
}

// A list of n pairs: pair k at PosteriorScore.of(posterior[k]), or with logits (not null) at the mix of logits[k]
// with it; "same" where same[k] ≠ 0. Geometry: see "score histograms" above.
extern "C" __global__ void pair_scoring_histogram_posterior_pairs(const float* posterior, const float* logits,
                                                                  float priorShift, const int* same, long long n,
                                                                  unsigned long long* counts, const float* thresholds,
                                                                  int nThresholds) {
    SIMIL_DYNAMIC_SHARED(int, posteriorListCounts);
    pairs_begin_counts(posteriorListCounts, nThresholds);
    SIMIL_GRID_STRIDE(k, n) {
        float score = logits == 0 ? pairs_posterior(posterior[k]) : pairs_mixed(logits[k], posterior[k], priorShift);
        pairs_count(score, same[k] != 0, 1, counts, thresholds, nThresholds, posteriorListCounts);
    }
    pairs_end_counts(posteriorListCounts, counts, nThresholds);
}
