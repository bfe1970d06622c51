/*
 * The tile transforms of Winograd convolution F(m×m, r×r) for one chunk of images (JNI), called by
 * simil.backend.cpu.WinogradConv, which owns the tiling, the sgemms between the transforms and the
 * weight transforms. See that class for the algebra.
 *
 * The chunk is first transposed to channels-last, so that every step of a transform is one multiply-add
 * over all channels at once (64 to 96 contiguous floats for MatchNet): its 16×16 maps have only four
 * tiles per row, too few to vectorize along. Transformed tiles are laid out [ξ][tile][channel], ξ being
 * the position (i, j) in the α×α transformed tile, as the strided-batched sgemms want them.
 *
 * The transform matrices come from Java as dense row-major arrays (Bᵀ: α×α, Aᵀ: m×α); their zeros are
 * skipped. Each transform is compiled once per instruction set (simil_isa.h): every step is a loop over
 * contiguous channels that the compiler vectorizes at that width.
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>

#include "simil_isa.h"

/* Geometry, in the order of WinogradConv's int[]: images in the chunk, input channels, input height and
   width, padding, output channels, output height and width, tile rows and columns, m, α. */
typedef struct {
    int images, c, h, w, pad, k, p, q, tiles_h, tiles_w, m, alpha;
} geometry;

static inline void axpy(float a, const float *restrict x, float *restrict y, int n) {
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

static inline void scale(float a, const float *restrict x, float *restrict y, int n) {
    for (int i = 0; i < n; i++) y[i] = a * x[i];
}

/* out = Σ_e coef[e·coef_stride] · in[e·in_stride] over n floats, e < terms, zero coefficients skipped. */
static inline void combine(const float *coef, int coef_stride, int terms, const float *in, long in_stride,
                           float *restrict out, int n) {
    int first = 1;
    for (int e = 0; e < terms; e++) {
        float a = coef[e * coef_stride];
        if (a == 0.0f) continue;
        if (first) scale(a, in + e * in_stride, out, n);
        else axpy(a, in + e * in_stride, out, n);
        first = 0;
    }
    if (first) memset(out, 0, sizeof(float) * (size_t)n);
}

/* dst[b][pixel][ch] = src[(b·channels + ch)·pixels + pixel] */
static inline void to_channels_last(const float *src, int images, int channels, int pixels, float *restrict dst) {
    for (int b = 0; b < images; b++) {
        for (int ch = 0; ch < channels; ch++) {
            const float *from = src + ((long)b * channels + ch) * pixels;
            float *to = dst + (long)b * pixels * channels + ch;
            for (int px = 0; px < pixels; px++) to[(long)px * channels] = from[px];
        }
    }
}

/* dst[(b·channels + ch)·pixels + pixel] = src[b][pixel][ch] + bias[ch] (no bias when NULL) */
static inline void from_channels_last(const float *src, int images, int channels, int pixels, const float *bias,
                                      float *restrict dst) {
    for (int b = 0; b < images; b++) {
        for (int ch = 0; ch < channels; ch++) {
            const float *from = src + (long)b * pixels * channels + ch;
            float *to = dst + ((long)b * channels + ch) * pixels;
            float add = bias ? bias[ch] : 0.0f;
            for (int px = 0; px < pixels; px++) to[px] = from[(long)px * channels] + add;
        }
    }
}

/* V[ξ = (i, l)][tile][·] = (Bᵀ d B)[i][l]; d is the tile's α×α input window, zero in the padding. */
void PER_ISA(winograd_input_tiles)(const float *x, geometry g, const float *bt, float *nhwc, float *v, float *work) {
    int a = g.alpha, c = g.c, n = g.images * g.tiles_h * g.tiles_w;
    to_channels_last(x, g.images, c, g.h * g.w, nhwc);
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                int y0 = ty * g.m - g.pad, x0 = tx * g.m - g.pad;
                /* work[i][l'] = Σ_j Bᵀ[i][j] d[j][l'] */
                for (int i = 0; i < a; i++) {
                    for (int l = 0; l < a; l++) {
                        float *dst = work + (long)(i * a + l) * c;
                        memset(dst, 0, sizeof(float) * (size_t)c);
                        int ix = x0 + l;
                        if (ix < 0 || ix >= g.w) continue;
                        for (int j = 0; j < a; j++) {
                            int iy = y0 + j;
                            float coef = bt[i * a + j];
                            if (coef != 0.0f && iy >= 0 && iy < g.h) axpy(coef, nhwc + ((long)(b * g.h + iy) * g.w + ix) * c, dst, c);
                        }
                    }
                }
                /* V[i][l] = Σ_l' Bᵀ[l][l'] work[i][l'] */
                for (int i = 0; i < a; i++) {
                    for (int l = 0; l < a; l++) {
                        combine(bt + l * a, 1, a, work + (long)i * a * c, c, v + ((long)(i * a + l) * n + tile) * c, c);
                    }
                }
            }
        }
    }
}

/* y = Aᵀ M A per tile (+ bias), clipped at the right and bottom edges, back to channels-first. */
void PER_ISA(winograd_output_tiles)(const float *mm, geometry g, const float *at, const float *bias, float *nhwc, float *y,
                                float *work) {
    int a = g.alpha, m = g.m, k = g.k, n = g.images * g.tiles_h * g.tiles_w;
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                /* work[i][c'] = Σ_l M[i][l] Aᵀ[c'][l] */
                for (int i = 0; i < a; i++) {
                    for (int col = 0; col < m; col++) {
                        combine(at + col * a, 1, a, mm + ((long)i * a * n + tile) * k, (long)n * k, work + (long)(i * m + col) * k, k);
                    }
                }
                /* Y[r'][c'] = Σ_i Aᵀ[r'][i] work[i][c'] */
                for (int row = 0; row < m && ty * m + row < g.p; row++) {
                    for (int col = 0; col < m && tx * m + col < g.q; col++) {
                        float *dst = nhwc + ((long)(b * g.p + ty * m + row) * g.q + tx * m + col) * k;
                        combine(at + row * a, 1, a, work + (long)col * k, (long)m * k, dst, k);
                    }
                }
            }
        }
    }
    from_channels_last(nhwc, g.images, k, g.p * g.q, bias, y);
}

/* dM[ξ = (i, j)][tile][·] = (A dY Aᵀ)[i][j], with A = (Aᵀ)ᵀ; past the edges dY is zero. */
void PER_ISA(winograd_output_grad_tiles)(const float *dy, geometry g, const float *at, float *nhwc, float *dm, float *work) {
    int a = g.alpha, m = g.m, k = g.k, n = g.images * g.tiles_h * g.tiles_w;
    to_channels_last(dy, g.images, k, g.p * g.q, nhwc);
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                /* work[r'][j] = Σ_c' A[j][c'] dY[r'][c'] */
                for (int row = 0; row < m; row++) {
                    for (int j = 0; j < a; j++) {
                        float *dst = work + (long)(row * a + j) * k;
                        memset(dst, 0, sizeof(float) * (size_t)k);
                        if (ty * m + row >= g.p) continue;
                        for (int col = 0; col < m; col++) {
                            float coef = at[col * a + j];
                            if (coef != 0.0f && tx * m + col < g.q) {
                                axpy(coef, nhwc + ((long)(b * g.p + ty * m + row) * g.q + tx * m + col) * k, dst, k);
                            }
                        }
                    }
                }
                /* dM[i][j] = Σ_r' A[i][r'] work[r'][j] */
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < a; j++) {
                        combine(at + i, a, m, work + (long)j * k, (long)a * k, dm + ((long)(i * a + j) * n + tile) * k, k);
                    }
                }
            }
        }
    }
}

/* dx = Σ over tiles of B dV Bᵀ, placed on each tile's input window (windows overlap, so they add) and cut to
   the image (the padding has no gradient), back to channels-first. */
void PER_ISA(winograd_input_grad_tiles)(const float *dv, geometry g, const float *bt, float *nhwc, float *dx, float *work) {
    int a = g.alpha, c = g.c, n = g.images * g.tiles_h * g.tiles_w;
    memset(nhwc, 0, sizeof(float) * (size_t)g.images * g.h * g.w * c);
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                int y0 = ty * g.m - g.pad, x0 = tx * g.m - g.pad;
                /* work[i][q'] = Σ_j B[q'][j] dV[i][j], with B[q'][j] = Bᵀ[j][q'] */
                for (int i = 0; i < a; i++) {
                    for (int col = 0; col < a; col++) {
                        combine(bt + col, a, a, dv + ((long)i * a * n + tile) * c, (long)n * c, work + (long)(i * a + col) * c, c);
                    }
                }
                /* dx[y0 + p'][x0 + q'] += Σ_i B[p'][i] work[i][q'] */
                for (int row = 0; row < a; row++) {
                    int iy = y0 + row;
                    if (iy < 0 || iy >= g.h) continue;
                    for (int col = 0; col < a; col++) {
                        int ix = x0 + col;
                        if (ix < 0 || ix >= g.w) continue;
                        float *dst = nhwc + ((long)(b * g.h + iy) * g.w + ix) * c;
                        for (int i = 0; i < a; i++) {
                            float coef = bt[i * a + row];
                            if (coef != 0.0f) axpy(coef, work + (long)(i * a + col) * c, dst, c);
                        }
                    }
                }
            }
        }
    }
    from_channels_last(nhwc, g.images, c, g.h * g.w, NULL, dx);
}

#ifdef SIMIL_JNI
static geometry read_geometry(JNIEnv *env, jintArray array) {
    jint v[12];
    (*env)->GetIntArrayRegion(env, array, 0, 12, v);
    geometry g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
    return g;
}

DECLARE_PER_ISA(void, winograd_input_tiles, (const float *x, geometry g, const float *bt, float *nhwc, float *v, float *work));
DECLARE_PER_ISA(void, winograd_output_tiles, (const float *mm, geometry g, const float *at, const float *bias, float *nhwc,
                                             float *y, float *work));
DECLARE_PER_ISA(void, winograd_output_grad_tiles, (const float *dy, geometry g, const float *at, float *nhwc, float *dm,
                                                  float *work));
DECLARE_PER_ISA(void, winograd_input_grad_tiles, (const float *dv, geometry g, const float *bt, float *nhwc, float *dx,
                                                 float *work));

/* Scratch for one tile's intermediate: α² rows of the wider of the two channel counts. */
static float *tile_work(geometry g) {
    int channels = g.c > g.k ? g.c : g.k;
    return malloc(sizeof(float) * (size_t)g.alpha * g.alpha * channels);
}

/* The four transforms, numbered as NativeWinograd's constants. */
enum { INPUT = 0, OUTPUT = 1, OUTPUT_GRAD = 2, INPUT_GRAD = 3 };

/* One transform of one chunk: `in` (at inOffset) to `out` (at outOffset) through the matrix Bᵀ or Aᵀ; bias
   (may be null) only for OUTPUT. Returns false when the scratch could not be allocated. */
JNIEXPORT jboolean JNICALL Java_simil_backend_cpu_NativeWinograd_transform(
        JNIEnv *env, jclass cls, jint isa, jint kind, jintArray geom, jfloatArray in, jint inOffset, jfloatArray matrix,
        jfloatArray bias, jint biasOffset, jfloatArray nhwc, jfloatArray out, jint outOffset) {
    geometry g = read_geometry(env, geom);
    float *work = tile_work(g);
    if (!work) return JNI_FALSE;
    float *pin = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    float *pmat = (*env)->GetPrimitiveArrayCritical(env, matrix, NULL);
    float *pb = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    float *pn = (*env)->GetPrimitiveArrayCritical(env, nhwc, NULL);
    float *pout = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    switch (kind) {
        case INPUT: DISPATCH(isa, winograd_input_tiles, (pin + inOffset, g, pmat, pn, pout + outOffset, work)); break;
        case OUTPUT:
            DISPATCH(isa, winograd_output_tiles, (pin + inOffset, g, pmat, pb ? pb + biasOffset : NULL, pn, pout + outOffset, work));
            break;
        case OUTPUT_GRAD: DISPATCH(isa, winograd_output_grad_tiles, (pin + inOffset, g, pmat, pn, pout + outOffset, work)); break;
        default: DISPATCH(isa, winograd_input_grad_tiles, (pin + inOffset, g, pmat, pn, pout + outOffset, work)); break;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, pout, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, nhwc, pn, JNI_ABORT);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, bias, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, matrix, pmat, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, in, pin, JNI_ABORT);
    free(work);
    return JNI_TRUE;
}
#endif
