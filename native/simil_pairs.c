/*
 * Fused int8 kernel for MatchNet's metric network over pairs of images (JNI, AVX-512 VNNI).
 *
 * For pair (i, j): h1 = relu(P[i] + Q[j]) (first layer, split per image), h2 = relu(W2·h1 + b2),
 * logit = w3·h2 + b3. The 1024×1024 second layer is 99% of the work, so it runs on vpdpbusd
 * (u8 × s8 → s32, four times the fp32 FMA rate): h1 ≥ 0 is quantized to u8 with one scale per pair
 * (max/255), W2 to s8 with one scale per output row (prepared once in Java, CpuPairScoringOps). The
 * int32 sums are exact; dequantization, b2, relu and the dot with w3 happen in registers, so h2 never
 * leaves them. h1 is built per block of PAIR_BLOCK pairs (96 KiB of u8, L2-resident), never for a tile.
 *
 * Packed W2 (bytes): [H/64 panels][H/4 k-groups][64 output columns][4 consecutive k], i.e. one int32
 * per (column, k-group), so a panel streams contiguously and one 64-byte load feeds 16 columns.
 *
 * Only the functions after the target pragma use AVX-512; the support check before it runs anywhere.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

JNIEXPORT jboolean JNICALL Java_simil_backend_cpu_NativePairs_supported(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vnni");
}

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512vnni")
#include <immintrin.h>

enum {
    ROWS = 6,          /* pair rows per microkernel: 6 × 4 accumulators + 4 weights + 1 broadcast ≤ 32 zmm */
    PANEL = 64,        /* output columns per microkernel: 4 zmm of 16 int32 */
    PAIR_BLOCK = 96    /* pairs quantized at once: 96 × H bytes stay in L2 while every panel passes over them */
};

/* u8 rows of h1 = relu(p + q) for one pair, with the scale that maps 255 to its maximum (0 for all zeros). */
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
    __m512 inv = _mm512_set1_ps(255.0f / m);
    for (int k = 0; k < h; k += 16) {
        __m512i v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(tmp + k), inv)); /* round to nearest */
        _mm_storeu_si128((__m128i *)(dst + k), _mm512_cvtusepi32_epi8(v));
    }
    *scale = m / 255.0f;
}

/*
 * ROWS pairs × one 64-column panel over all of K: int32 dot products, then per column
 * relu(acc · rowScale · colScale + b2) · w3, summed into partial[row]. Not inlined, so that the
 * caller's live values cannot push the 24 accumulators out of registers.
 */
__attribute__((noinline)) static void panel_kernel(const uint8_t *a, int h, const float *row_scale, const int32_t *w,
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
    int32_t acc[ROWS][PANEL] __attribute__((aligned(64)));
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
        for (int j = 0; j < PANEL; j += 16) {
            /* relu(acc · rowScale · colScale + b2) · w3 over 16 columns */
            __m512 y = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_load_si512(acc[i] + j)),
                                       _mm512_mul_ps(s, _mm512_loadu_ps(col_scale + j)), _mm512_loadu_ps(b2 + j));
            sum = _mm512_fmadd_ps(_mm512_max_ps(y, zero), _mm512_loadu_ps(w3 + j), sum);
        }
        partial[i] += _mm512_reduce_add_ps(sum);
    }
}

/*
 * Logits of the pairs [from, to) of a tile, pair t = (r, c) = (t / cols, t % cols), r over the rows of P
 * and c over the rows of Q (both [*, h]); out[t - from]. Each pair's logit depends only on that pair, so
 * any split of a tile over threads gives the same numbers.
 */
static int score_range(const float *p, const float *q, int cols, int h, int from, int to, const int32_t *w,
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
        for (int n0 = 0; n0 < h; n0 += PANEL) {
            const int32_t *panel = w + (size_t)n0 * (h / 4);
            for (int t = 0; t < padded; t += ROWS)
                panel_kernel(a + (size_t)t * h, h, row_scale + t, panel, col_scale + n0, b2 + n0, w3 + n0, partial + t);
        }
        for (int t = 0; t < m; t++) out[t0 - from + t] = partial[t] + b3;
    }
    free(a);
    free(tmp);
    return 1;
}

JNIEXPORT jboolean JNICALL Java_simil_backend_cpu_NativePairs_scoreRange(
        JNIEnv *env, jclass cls, jfloatArray pArr, jint pOff, jfloatArray qArr, jint qOff, jint cols, jint h,
        jint from, jint to, jintArray wArr, jint wOff, jfloatArray csArr, jint csOff, jfloatArray b2Arr, jint b2Off,
        jfloatArray w3Arr, jint w3Off, jfloat b3, jfloatArray outArr, jint outOff) {
    float *p = (*env)->GetPrimitiveArrayCritical(env, pArr, NULL);
    float *q = (*env)->GetPrimitiveArrayCritical(env, qArr, NULL);
    int32_t *w = (*env)->GetPrimitiveArrayCritical(env, wArr, NULL);
    float *cs = (*env)->GetPrimitiveArrayCritical(env, csArr, NULL);
    float *b2 = (*env)->GetPrimitiveArrayCritical(env, b2Arr, NULL);
    float *w3 = (*env)->GetPrimitiveArrayCritical(env, w3Arr, NULL);
    float *out = (*env)->GetPrimitiveArrayCritical(env, outArr, NULL);
    int ok = score_range(p + pOff, q + qOff, cols, h, from, to, w + wOff, cs + csOff, b2 + b2Off, w3 + w3Off, b3,
                         out + outOff);
    (*env)->ReleasePrimitiveArrayCritical(env, outArr, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, w3Arr, w3, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, b2Arr, b2, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, csArr, cs, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, wArr, w, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, qArr, q, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, pArr, p, JNI_ABORT);
    return ok;
}
#pragma GCC pop_options
