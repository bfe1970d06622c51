/*
 * Fused int8 kernel for MatchNet's metric network over pairs of images (JNI).
 *
 * For pair (i, j): h1 = relu(P[i] + Q[j]) (first layer, split per image), h2 = relu(W2·h1 + b2),
 * logit = w3·h2 + b3. The 1024×1024 second layer is 99% of the work, so it runs on integer dot products:
 * h1 ≥ 0 is quantized to unsigned bytes with one scale per pair, W2 to s8 with one scale per output row
 * (prepared once in Java, CpuPairScoringOps). The int32 sums are exact; dequantization, b2, relu and the
 * dot with w3 happen in registers, so h2 never leaves them. h1 is built per block of PAIR_BLOCK pairs
 * (about 96 KiB of bytes, L2-resident), never for a tile.
 *
 * Packed W2 (bytes): [H/64 panels][H/4 k-groups][64 output columns][4 consecutive k], i.e. one int32 per
 * (column, k-group), so a panel streams contiguously and one 64-byte line feeds 16 columns.
 *
 * Two instruction sets (simil_isa.h), each with its own microkernel:
 *   - AVX-512 VNNI: vpdpbusd multiplies u8 × s8 and adds four products into an int32 in one instruction;
 *     h1 uses the whole u8 range (levels 0..255).
 *   - AVX2: vpmaddubsw multiplies u8 × s8 and adds pairs into int16 with saturation, vpmaddwd adds those
 *     pairs into int32. Two products must fit int16, so h1 takes levels 0..127 (2 · 127 · 127 < 32767):
 *     exact sums, one bit less of activation resolution.
 * Baseline x86-64 has no int8 kernel: Java scores in fp32 there (Isa.int8Pairs).
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "simil_isa.h"

#if defined(SIMIL_AVX512) || defined(SIMIL_AVX2)
#include <immintrin.h>

enum { PANEL = 64 }; /* output columns per packed panel (NativePairs.PANEL) */

#if defined(SIMIL_AVX512)
enum {
    ROWS = 6,          /* pair rows per microkernel: 6 × 4 accumulators + 4 weights + 1 broadcast ≤ 32 zmm */
    COLS = 64,         /* output columns per microkernel: 4 zmm of 16 int32, a whole panel */
    PAIR_BLOCK = 96,   /* pairs quantized at once: 96 × H bytes stay in L2 while every panel passes over them */
    LEVELS = 255       /* u8 levels of h1 */
};

/* u8 rows of h1 = relu(p + q) for one pair, with the scale that maps LEVELS to its maximum (0 for all zeros). */
static void quantize_pair(const float *p, const float *q, int h, float *tmp, uint8_t *dst, float *scale) {
    __m512 mx = _mm512_setzero_ps();
    for (int k = 0; k < h; k += 16) {
        __m512 x = _mm512_max_ps(_mm512_add_ps(_mm512_loadu_ps(p + k), _mm512_loadu_ps(q + k)), _mm512_setzero_ps());
        _mm512_store_ps(tmp + k, x);
        mx = _mm512_max_ps(mx, x);
    }
    float m = _mm512_reduce_max_ps(mx);
    if (m == 0.0f) {
        memset(dst, 0, (size_t)h);
        *scale = 0.0f;
        return;
    }
    __m512 inv = _mm512_set1_ps(LEVELS / m);
    for (int k = 0; k < h; k += 16) {
        __m512i v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(tmp + k), inv)); /* round to nearest */
        _mm_storeu_si128((__m128i *)(dst + k), _mm512_cvtusepi32_epi8(v));
    }
    *scale = m / LEVELS;
}

/*
 * ROWS pairs × COLS columns over all of K: int32 dot products, then per column
 * relu(acc · rowScale · colScale + b2) · w3, summed into partial[row]. Not inlined, so that the
 * caller's live values cannot push the 24 accumulators out of registers.
 */
__attribute__((noinline)) static void microkernel(const uint8_t *a, int h, const float *row_scale, const int32_t *w,
                                                   const float *col_scale, const float *b2, const float *w3,
                                                   float *partial) {
    /* Named accumulators: GCC 12 keeps a __m512i array in memory. */
#define ACC(i) __m512i c##i##0 = _mm512_setzero_si512(), c##i##1 = c##i##0, c##i##2 = c##i##0, c##i##3 = c##i##0
    ACC(0); ACC(1); ACC(2); ACC(3); ACC(4); ACC(5);
#undef ACC
    const uint8_t *a0 = a, *a1 = a + h, *a2 = a + 2 * (size_t)h, *a3 = a + 3 * (size_t)h, *a4 = a + 4 * (size_t)h,
                  *a5 = a + 5 * (size_t)h;
    for (int k4 = 0; k4 < h / 4; k4++) {
        const int32_t *wk = w + (size_t)k4 * PANEL;
        __m512i w0 = _mm512_loadu_si512(wk), w1 = _mm512_loadu_si512(wk + 16);
        __m512i w2 = _mm512_loadu_si512(wk + 32), w3v = _mm512_loadu_si512(wk + 48);
#define ROW(i)                                                                 \
    {                                                                          \
        int32_t four;                                                          \
        memcpy(&four, a##i + 4 * k4, 4);                                       \
        __m512i x = _mm512_set1_epi32(four);                                   \
        c##i##0 = _mm512_dpbusd_epi32(c##i##0, x, w0);                         \
        c##i##1 = _mm512_dpbusd_epi32(c##i##1, x, w1);                         \
        c##i##2 = _mm512_dpbusd_epi32(c##i##2, x, w2);                         \
        c##i##3 = _mm512_dpbusd_epi32(c##i##3, x, w3v);                        \
    }
        ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
#undef ROW
    }
    /* The sums go through memory: kept live into the epilogue, GCC 12 spills them on every k step. */
    int32_t acc[ROWS][COLS] __attribute__((aligned(64)));
#define SAVE(i)                                      \
    _mm512_store_si512(acc[i], c##i##0);             \
    _mm512_store_si512(acc[i] + 16, c##i##1);        \
    _mm512_store_si512(acc[i] + 32, c##i##2);        \
    _mm512_store_si512(acc[i] + 48, c##i##3);
    SAVE(0) SAVE(1) SAVE(2) SAVE(3) SAVE(4) SAVE(5)
#undef SAVE
    const __m512 zero = _mm512_setzero_ps();
    for (int i = 0; i < ROWS; i++) {
        __m512 s = _mm512_set1_ps(row_scale[i]), sum = zero;
        for (int j = 0; j < COLS; j += 16) {
            /* relu(acc · rowScale · colScale + b2) · w3 over 16 columns */
            __m512 y = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_load_si512(acc[i] + j)),
                                       _mm512_mul_ps(s, _mm512_loadu_ps(col_scale + j)), _mm512_loadu_ps(b2 + j));
            sum = _mm512_fmadd_ps(_mm512_max_ps(y, zero), _mm512_loadu_ps(w3 + j), sum);
        }
        partial[i] += _mm512_reduce_add_ps(sum);
    }
}

#else /* AVX2 */
enum {
    ROWS = 4,          /* pair rows per microkernel: 4 × 2 accumulators + 2 weights + broadcast, product, ones ≤ 16 ymm */
    COLS = 16,         /* output columns per microkernel: 2 ymm of 8 int32; its 16 KiB of a panel stay in L1 */
    PAIR_BLOCK = 96,   /* pairs quantized at once, as above */
    LEVELS = 127       /* u7 levels of h1, so that vpmaddubsw's int16 pair sums cannot saturate */
};

/* As the AVX-512 copy: u8 rows (levels 0..LEVELS) of h1 = relu(p + q) and the pair's scale. */
static void quantize_pair(const float *p, const float *q, int h, float *tmp, uint8_t *dst, float *scale) {
    __m256 mx = _mm256_setzero_ps();
    for (int k = 0; k < h; k += 8) {
        __m256 x = _mm256_max_ps(_mm256_add_ps(_mm256_loadu_ps(p + k), _mm256_loadu_ps(q + k)), _mm256_setzero_ps());
        _mm256_store_ps(tmp + k, x);
        mx = _mm256_max_ps(mx, x);
    }
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    float m = _mm_cvtss_f32(m4);
    if (m == 0.0f) {
        memset(dst, 0, (size_t)h);
        *scale = 0.0f;
        return;
    }
    __m256 inv = _mm256_set1_ps(LEVELS / m);
    /* packs work within 128-bit lanes; the permute puts the 32 bytes back in order */
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int k = 0; k < h; k += 32) {
        __m256i v0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_load_ps(tmp + k), inv)); /* round to nearest */
        __m256i v1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_load_ps(tmp + k + 8), inv));
        __m256i v2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_load_ps(tmp + k + 16), inv));
        __m256i v3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_load_ps(tmp + k + 24), inv));
        __m256i bytes = _mm256_packus_epi16(_mm256_packs_epi32(v0, v1), _mm256_packs_epi32(v2, v3));
        _mm256_storeu_si256((__m256i *)(dst + k), _mm256_permutevar8x32_epi32(bytes, order));
    }
    *scale = m / LEVELS;
}

static inline float sum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

/* As the AVX-512 microkernel, for ROWS pairs × COLS columns; w points at the columns' first k-group in a
   panel whose k-groups are PANEL int32 apart. */
__attribute__((noinline)) static void microkernel(const uint8_t *a, int h, const float *row_scale, const int32_t *w,
                                                  const float *col_scale, const float *b2, const float *w3,
                                                  float *partial) {
#define ACC(i) __m256i c##i##0 = _mm256_setzero_si256(), c##i##1 = c##i##0
    ACC(0); ACC(1); ACC(2); ACC(3);
#undef ACC
    const __m256i ones = _mm256_set1_epi16(1);
    const uint8_t *a0 = a, *a1 = a + h, *a2 = a + 2 * (size_t)h, *a3 = a + 3 * (size_t)h;
    for (int k4 = 0; k4 < h / 4; k4++) {
        const int32_t *wk = w + (size_t)k4 * PANEL;
        __m256i w0 = _mm256_loadu_si256((const __m256i *)wk), w1 = _mm256_loadu_si256((const __m256i *)(wk + 8));
#define ROW(i)                                                                                  \
    {                                                                                           \
        int32_t four;                                                                           \
        memcpy(&four, a##i + 4 * k4, 4);                                                        \
        __m256i x = _mm256_set1_epi32(four);                                                    \
        c##i##0 = _mm256_add_epi32(c##i##0, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w0), ones)); \
        c##i##1 = _mm256_add_epi32(c##i##1, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w1), ones)); \
    }
        ROW(0) ROW(1) ROW(2) ROW(3)
#undef ROW
    }
    int32_t acc[ROWS][COLS] __attribute__((aligned(32)));
#define SAVE(i)                                               \
    _mm256_store_si256((__m256i *)acc[i], c##i##0);           \
    _mm256_store_si256((__m256i *)(acc[i] + 8), c##i##1);
    SAVE(0) SAVE(1) SAVE(2) SAVE(3)
#undef SAVE
    const __m256 zero = _mm256_setzero_ps();
    for (int i = 0; i < ROWS; i++) {
        __m256 s = _mm256_set1_ps(row_scale[i]), sum = zero;
        for (int j = 0; j < COLS; j += 8) {
            __m256 y = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_load_si256((const __m256i *)(acc[i] + j))),
                                       _mm256_mul_ps(s, _mm256_loadu_ps(col_scale + j)), _mm256_loadu_ps(b2 + j));
            sum = _mm256_fmadd_ps(_mm256_max_ps(y, zero), _mm256_loadu_ps(w3 + j), sum);
        }
        partial[i] += sum8(sum);
    }
}
#endif

/*
 * Logits of the pairs [from, to) of a tile, pair t = (r, c) = (t / cols, t % cols), r over the rows of P
 * and c over the rows of Q (both [*, h]); out[t - from]. Each pair's logit depends only on that pair, so
 * any split of a tile over threads gives the same numbers.
 */
int PER_ISA(pairs_score_range)(const float *p, const float *q, int cols, int h, int from, int to, const int32_t *w,
                       const float *col_scale, const float *b2, const float *w3, float b3, float *out) {
    uint8_t *a = aligned_alloc(64, (size_t)PAIR_BLOCK * h);
    float *tmp = aligned_alloc(64, (size_t)h * sizeof(float));
    if (a == NULL || tmp == NULL) {
        free(a);
        free(tmp);
        return 0;
    }
    float row_scale[PAIR_BLOCK], partial[PAIR_BLOCK];
    for (int t0 = from; t0 < to; t0 += PAIR_BLOCK) {
        int m = to - t0 < PAIR_BLOCK ? to - t0 : PAIR_BLOCK;
        int padded = (m + ROWS - 1) / ROWS * ROWS;
        for (int t = 0; t < m; t++) {
            int r = (t0 + t) / cols, c = (t0 + t) % cols;
            quantize_pair(p + (size_t)r * h, q + (size_t)c * h, h, tmp, a + (size_t)t * h, &row_scale[t]);
        }
        memset(a + (size_t)m * h, 0, (size_t)(padded - m) * h);
        for (int t = m; t < padded; t++) row_scale[t] = 0.0f;
        memset(partial, 0, sizeof partial);
        /* one COLS-wide slice of W2 at a time, over every pair of the block: the slice stays in cache */
        for (int n0 = 0; n0 < h; n0 += COLS) {
            const int32_t *slice = w + (size_t)(n0 / PANEL) * PANEL * (h / 4) + n0 % PANEL;
            for (int t = 0; t < padded; t += ROWS)
                microkernel(a + (size_t)t * h, h, row_scale + t, slice, col_scale + n0, b2 + n0, w3 + n0, partial + t);
        }
        for (int t = 0; t < m; t++) out[t0 - from + t] = partial[t] + b3;
    }
    free(a);
    free(tmp);
    return 1;
}

#endif

#ifdef SIMIL_JNI
/* No generic copy: baseline x86-64 scores in fp32 (Java never calls this with ISA_GENERIC). */
int pairs_score_range_avx512(const float *p, const float *q, int cols, int h, int from, int to, const int32_t *w,
                             const float *col_scale, const float *b2, const float *w3, float b3, float *out);
int pairs_score_range_avx2(const float *p, const float *q, int cols, int h, int from, int to, const int32_t *w,
                           const float *col_scale, const float *b2, const float *w3, float b3, float *out);

JNIEXPORT jboolean JNICALL Java_simil_backend_cpu_NativePairs_scoreRange(
        JNIEnv *env, jclass cls, jint isa, jfloatArray pArr, jint pOff, jfloatArray qArr, jint qOff, jint cols, jint h,
        jint from, jint to, jintArray wArr, jint wOff, jfloatArray csArr, jint csOff, jfloatArray b2Arr, jint b2Off,
        jfloatArray w3Arr, jint w3Off, jfloat b3, jfloatArray outArr, jint outOff) {
    float *p = (*env)->GetPrimitiveArrayCritical(env, pArr, NULL);
    float *q = (*env)->GetPrimitiveArrayCritical(env, qArr, NULL);
    int32_t *w = (*env)->GetPrimitiveArrayCritical(env, wArr, NULL);
    float *cs = (*env)->GetPrimitiveArrayCritical(env, csArr, NULL);
    float *b2 = (*env)->GetPrimitiveArrayCritical(env, b2Arr, NULL);
    float *w3 = (*env)->GetPrimitiveArrayCritical(env, w3Arr, NULL);
    float *out = (*env)->GetPrimitiveArrayCritical(env, outArr, NULL);
    int ok = isa == ISA_AVX512 ? pairs_score_range_avx512(p + pOff, q + qOff, cols, h, from, to, w + wOff, cs + csOff,
                                                          b2 + b2Off, w3 + w3Off, b3, out + outOff)
           : isa == ISA_AVX2 ? pairs_score_range_avx2(p + pOff, q + qOff, cols, h, from, to, w + wOff, cs + csOff,
                                                      b2 + b2Off, w3 + w3Off, b3, out + outOff)
           : 0;
    (*env)->ReleasePrimitiveArrayCritical(env, outArr, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, w3Arr, w3, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, b2Arr, b2, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, csArr, cs, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, wArr, w, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, qArr, q, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, pArr, p, JNI_ABORT);
    return ok;
}
#endif
