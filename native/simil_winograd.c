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
 * The transform matrices come from Java as dense row-major arrays (Bᵀ: α×α, Aᵀ: m×α). Each tile is
 * transformed one vector of channels at a time with the whole α×α window in registers (or L1): both
 * separable passes are register multiply-adds, and only the window's inputs and the transformed
 * outputs touch memory. α is a compile-time constant in each copy (tiles() below), so the passes unroll.
 * Compiled once per instruction set (simil_isa.h), at its vector width.
 */
#include <jni.h>
#include <string.h>

#include "simil_isa.h"

/* Geometry, in the order of WinogradConv's int[]: images in the chunk, input channels, input height and
   width, padding, output channels, output height and width, tile rows and columns, m, α. */
typedef struct {
    int images, c, h, w, pad, k, p, q, tiles_h, tiles_w, m, alpha;
} geometry;

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

/* Up to `lanes` (≤ VLEN) floats from p, zero beyond: the last vector of a channel count that is not a
   multiple of VLEN. */
static inline vfloat load_lanes(const float *p, int lanes) {
    if (lanes == VLEN) return *(const vfloat *)p;
    vfloat v = {0};
    for (int i = 0; i < lanes; i++) v[i] = p[i];
    return v;
}

static inline void store_lanes(float *p, vfloat v, int lanes) {
    if (lanes == VLEN) {
        *(vfloat *)p = v;
        return;
    }
    for (int i = 0; i < lanes; i++) p[i] = v[i];
}

/* Σ_e coef[e·stride] · in[e] over e < terms. */
#define COMBINE(out, coef, stride, terms, in)                                     \
    do {                                                                           \
        vfloat acc_ = (vfloat){0};                                                 \
        for (int e_ = 0; e_ < (terms); e_++) acc_ += (coef)[e_ * (stride)] * (in)[e_]; \
        (out) = acc_;                                                              \
    } while (0)

/* Calls body(A) with A the compile-time α of MatchNet's two tile sizes (F(4×4, 3×3): 6, F(4×4, 5×5): 8),
   else with the run-time α. */
#define FOR_ALPHA(alpha, body) \
    switch (alpha) {           \
        case 6: body(6); break; \
        case 8: body(8); break; \
        default: body(alpha);  \
    }

/* V[ξ = (i, l)][tile][·] = (Bᵀ d B)[i][l]; d is the tile's α×α input window, zero in the padding. */
static inline __attribute__((always_inline)) void input_tiles(const float *nhwc, geometry g, const float *bt, float *v,
                                                              const int a) {
    int c = g.c, n = g.images * g.tiles_h * g.tiles_w;
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                int y0 = ty * g.m - g.pad, x0 = tx * g.m - g.pad;
                for (int cb = 0; cb < c; cb += VLEN) {
                    int lanes = c - cb < VLEN ? c - cb : VLEN;
                    vfloat t[a][a]; /* t[i][l] = Σ_j Bᵀ[i][j] d[j][l] */
                    for (int l = 0; l < a; l++) {
                        int ix = x0 + l;
                        vfloat d[a];
                        for (int j = 0; j < a; j++) {
                            int iy = y0 + j;
                            d[j] = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w
                                       ? load_lanes(nhwc + ((long)(b * g.h + iy) * g.w + ix) * c + cb, lanes) : (vfloat){0};
                        }
                        for (int i = 0; i < a; i++) COMBINE(t[i][l], bt + i * a, 1, a, d);
                    }
                    for (int i = 0; i < a; i++) {
                        for (int l = 0; l < a; l++) { /* V[i][l] = Σ_l' Bᵀ[l][l'] t[i][l'] */
                            vfloat out;
                            COMBINE(out, bt + l * a, 1, a, t[i]);
                            store_lanes(v + ((long)(i * a + l) * n + tile) * c + cb, out, lanes);
                        }
                    }
                }
            }
        }
    }
}

/* Y = Aᵀ M A per tile, clipped at the right and bottom edges, into channels-last nhwc. */
static inline __attribute__((always_inline)) void output_tiles(const float *mm, geometry g, const float *at, float *nhwc,
                                                               const int a) {
    int m = g.m, k = g.k, n = g.images * g.tiles_h * g.tiles_w;
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                for (int kb = 0; kb < k; kb += VLEN) {
                    int lanes = k - kb < VLEN ? k - kb : VLEN;
                    vfloat t[a][m]; /* t[i][c'] = Σ_l M[i][l] Aᵀ[c'][l] */
                    for (int i = 0; i < a; i++) {
                        vfloat row[a];
                        for (int l = 0; l < a; l++) row[l] = load_lanes(mm + ((long)(i * a + l) * n + tile) * k + kb, lanes);
                        for (int col = 0; col < m; col++) COMBINE(t[i][col], at + col * a, 1, a, row);
                    }
                    for (int r = 0; r < m && ty * m + r < g.p; r++) {
                        for (int col = 0; col < m && tx * m + col < g.q; col++) { /* Y[r][c'] = Σ_i Aᵀ[r][i] t[i][c'] */
                            vfloat column[a], out;
                            for (int i = 0; i < a; i++) column[i] = t[i][col];
                            COMBINE(out, at + r * a, 1, a, column);
                            store_lanes(nhwc + ((long)(b * g.p + ty * m + r) * g.q + tx * m + col) * k + kb, out, lanes);
                        }
                    }
                }
            }
        }
    }
}

/* dM[ξ = (i, j)][tile][·] = (A dY Aᵀ)[i][j], with A = (Aᵀ)ᵀ; past the edges dY is zero. */
static inline __attribute__((always_inline)) void output_grad_tiles(const float *nhwc, geometry g, const float *at,
                                                                    float *dm, const int a) {
    int m = g.m, k = g.k, n = g.images * g.tiles_h * g.tiles_w;
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                for (int kb = 0; kb < k; kb += VLEN) {
                    int lanes = k - kb < VLEN ? k - kb : VLEN;
                    vfloat t[m][a]; /* t[r'][j] = Σ_c' A[j][c'] dY[r'][c'] = Σ_c' Aᵀ[c'][j] dY[r'][c'] */
                    for (int r = 0; r < m; r++) {
                        vfloat d[m];
                        for (int col = 0; col < m; col++) {
                            d[col] = ty * m + r < g.p && tx * m + col < g.q
                                         ? load_lanes(nhwc + ((long)(b * g.p + ty * m + r) * g.q + tx * m + col) * k + kb, lanes)
                                         : (vfloat){0};
                        }
                        for (int j = 0; j < a; j++) COMBINE(t[r][j], at + j, a, m, d);
                    }
                    for (int i = 0; i < a; i++) {
                        for (int j = 0; j < a; j++) { /* dM[i][j] = Σ_r' Aᵀ[r'][i] t[r'][j] */
                            vfloat column[m], out;
                            for (int r = 0; r < m; r++) column[r] = t[r][j];
                            COMBINE(out, at + i, a, m, column);
                            store_lanes(dm + ((long)(i * a + j) * n + tile) * k + kb, out, lanes);
                        }
                    }
                }
            }
        }
    }
}

/* dx += B dV Bᵀ on each tile's input window (windows overlap, so they add), cut to the image, channels-last. */
static inline __attribute__((always_inline)) void input_grad_tiles(const float *dv, geometry g, const float *bt,
                                                                   float *nhwc, const int a) {
    int c = g.c, n = g.images * g.tiles_h * g.tiles_w;
    for (int b = 0, tile = 0; b < g.images; b++) {
        for (int ty = 0; ty < g.tiles_h; ty++) {
            for (int tx = 0; tx < g.tiles_w; tx++, tile++) {
                int y0 = ty * g.m - g.pad, x0 = tx * g.m - g.pad;
                for (int cb = 0; cb < c; cb += VLEN) {
                    int lanes = c - cb < VLEN ? c - cb : VLEN;
                    vfloat t[a][a]; /* t[i][q'] = Σ_j B[q'][j] dV[i][j] = Σ_j Bᵀ[j][q'] dV[i][j] */
                    for (int i = 0; i < a; i++) {
                        vfloat row[a];
                        for (int j = 0; j < a; j++) row[j] = load_lanes(dv + ((long)(i * a + j) * n + tile) * c + cb, lanes);
                        for (int col = 0; col < a; col++) COMBINE(t[i][col], bt + col, a, a, row);
                    }
                    for (int r = 0; r < a; r++) {
                        int iy = y0 + r;
                        if (iy < 0 || iy >= g.h) continue;
                        for (int col = 0; col < a; col++) { /* dx[y0 + p'][x0 + q'] += Σ_i Bᵀ[i][p'] t[i][q'] */
                            int ix = x0 + col;
                            if (ix < 0 || ix >= g.w) continue;
                            vfloat column[a], out;
                            for (int i = 0; i < a; i++) column[i] = t[i][col];
                            COMBINE(out, bt + r, a, a, column);
                            float *dst = nhwc + ((long)(b * g.h + iy) * g.w + ix) * c + cb;
                            store_lanes(dst, load_lanes(dst, lanes) + out, lanes);
                        }
                    }
                }
            }
        }
    }
}

void PER_ISA(winograd_input_tiles)(const float *x, geometry g, const float *bt, float *nhwc, float *v) {
    to_channels_last(x, g.images, g.c, g.h * g.w, nhwc);
#define INPUT(A) input_tiles(nhwc, g, bt, v, A)
    FOR_ALPHA(g.alpha, INPUT)
#undef INPUT
}

void PER_ISA(winograd_output_tiles)(const float *mm, geometry g, const float *at, const float *bias, float *nhwc, float *y) {
#define OUTPUT(A) output_tiles(mm, g, at, nhwc, A)
    FOR_ALPHA(g.alpha, OUTPUT)
#undef OUTPUT
    from_channels_last(nhwc, g.images, g.k, g.p * g.q, bias, y);
}

void PER_ISA(winograd_output_grad_tiles)(const float *dy, geometry g, const float *at, float *nhwc, float *dm) {
    to_channels_last(dy, g.images, g.k, g.p * g.q, nhwc);
#define OUTPUT_GRAD(A) output_grad_tiles(nhwc, g, at, dm, A)
    FOR_ALPHA(g.alpha, OUTPUT_GRAD)
#undef OUTPUT_GRAD
}

void PER_ISA(winograd_input_grad_tiles)(const float *dv, geometry g, const float *bt, float *nhwc, float *dx) {
    memset(nhwc, 0, sizeof(float) * (size_t)g.images * g.h * g.w * g.c);
#define INPUT_GRAD(A) input_grad_tiles(dv, g, bt, nhwc, A)
    FOR_ALPHA(g.alpha, INPUT_GRAD)
#undef INPUT_GRAD
    from_channels_last(nhwc, g.images, g.c, g.h * g.w, NULL, dx);
}

#ifdef SIMIL_JNI
static geometry read_geometry(JNIEnv *env, jintArray array) {
    jint v[12];
    (*env)->GetIntArrayRegion(env, array, 0, 12, v);
    geometry g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
    return g;
}

DECLARE_PER_ISA(void, winograd_input_tiles, (const float *x, geometry g, const float *bt, float *nhwc, float *v));
DECLARE_PER_ISA(void, winograd_output_tiles, (const float *mm, geometry g, const float *at, const float *bias, float *nhwc,
                                             float *y));
DECLARE_PER_ISA(void, winograd_output_grad_tiles, (const float *dy, geometry g, const float *at, float *nhwc, float *dm));
DECLARE_PER_ISA(void, winograd_input_grad_tiles, (const float *dv, geometry g, const float *bt, float *nhwc, float *dx));

/* The four transforms, numbered as NativeWinograd's constants. */
enum { INPUT = 0, OUTPUT = 1, OUTPUT_GRAD = 2, INPUT_GRAD = 3 };

/* One transform of one chunk: `in` (at inOffset) to `out` (at outOffset) through the matrix Bᵀ or Aᵀ; bias
   (may be null) only for OUTPUT. */
JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeWinograd_transform(
        JNIEnv *env, jclass cls, jint isa, jint kind, jintArray geom, jfloatArray in, jint inOffset, jfloatArray matrix,
        jfloatArray bias, jint biasOffset, jfloatArray nhwc, jfloatArray out, jint outOffset) {
    geometry g = read_geometry(env, geom);
    float *pin = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    float *pmat = (*env)->GetPrimitiveArrayCritical(env, matrix, NULL);
    float *pb = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    float *pn = (*env)->GetPrimitiveArrayCritical(env, nhwc, NULL);
    float *pout = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    switch (kind) {
        case INPUT: DISPATCH(isa, winograd_input_tiles, (pin + inOffset, g, pmat, pn, pout + outOffset)); break;
        case OUTPUT:
            DISPATCH(isa, winograd_output_tiles, (pin + inOffset, g, pmat, pb ? pb + biasOffset : NULL, pn, pout + outOffset));
            break;
        case OUTPUT_GRAD: DISPATCH(isa, winograd_output_grad_tiles, (pin + inOffset, g, pmat, pn, pout + outOffset)); break;
        default: DISPATCH(isa, winograd_input_grad_tiles, (pin + inOffset, g, pmat, pn, pout + outOffset)); break;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, pout, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, nhwc, pn, JNI_ABORT);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, bias, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, matrix, pmat, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, in, pin, JNI_ABORT);
}
#endif
