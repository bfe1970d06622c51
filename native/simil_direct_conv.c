/*
 * Direct stride-1 convolution for layers with few input channels (MatchNet's first layer: 3 -> 24, 7x7),
 * forward and weight gradient (JNI), called by simil.backend.cpu.DirectConv.
 *
 * Why not im2col: with 3 input channels the column matrix is 147 rows by every output pixel, 49 times the
 * image, so im2col + sgemm spends its time writing and re-reading memory, and the weight gradient's sgemm
 * (24 x 147, summed over 4,096 pixels per image) is too skinny for OpenBLAS. Here each image is copied once
 * into a zero-padded buffer and every multiply-add reads it from cache, vectorized along output columns.
 *
 * Rows are computed in blocks of COLS output columns (two vectors); the padded buffers are wide enough that
 * every block, and every kernel-column offset up to KX_BLOCK, reads inside them, so there is no tail code:
 * columns past the output width are computed and dropped (forward) or see a zero gradient (weights).
 * Compiled once per instruction set (simil_isa.h), each with its own register blocking.
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>

#include "simil_isa.h"

#define COLS (2 * VLEN) /* output columns per block: two vectors */
#if VLEN == 16
/* 32 zmm: forward 8 x 2 accumulators + 2 inputs; weight gradient 3 x 8 accumulators + 3 gradients + 2 inputs,
   the shifted inputs built in registers (one valignd each: a load at a 4-byte offset splits a cache line). */
#define OC_BLOCK 8
#define OC_GRAD 3
#define KX_BLOCK 8
#define SHIFT_IN_REGISTERS 1
/* Floats j .. j + 15 of the 32 in (lo, hi): one in-register shift (valignd). */
#define SHIFTED(lo, hi, j) __builtin_shufflevector(lo, hi, j, j + 1, j + 2, j + 3, j + 4, j + 5, j + 6, j + 7, j + 8, \
                                                   j + 9, j + 10, j + 11, j + 12, j + 13, j + 14, j + 15)
#else
/* 16 ymm (AVX2) or xmm: forward 6 x 2 accumulators + 2 inputs + 1 broadcast weight = 15; weight gradient
   3 x 4 accumulators + 3 gradients + 1 input = 16, the shifted inputs loaded from memory (AVX2 has no
   cross-lane shift for 8 floats, and loads do not compete with the FMAs for ports). */
#define OC_BLOCK 6
#define OC_GRAD 3
#define KX_BLOCK 4
#define SHIFT_IN_REGISTERS 0
#endif

/* A layer as Java describes it: input channels, height, width; output channels; kernel; padding (>= 0). */
typedef struct {
    int c, h, w, k, kh, kw, pad;
} conv_shape;

/* Its padded buffers, which depend on this compilation's blocking. */
typedef struct {
    int c, h, w, k, kh, kw, pad, p, q; /* input channels, height, width; output channels; kernel; padding (>= 0); output size */
    int qp;                            /* output width rounded up to COLS */
    int wp;                            /* padded input row length: room for every block's reads (see below) */
    int hp;                            /* padded input rows: p + kh - 1 */
} geometry;

static geometry make_geometry(conv_shape s) {
    int c = s.c, h = s.h, w = s.w, k = s.k, kh = s.kh, kw = s.kw, pad = s.pad;
    geometry g = {c, h, w, k, kh, kw, pad, h + 2 * pad - kh + 1, w + 2 * pad - kw + 1, 0, 0, 0};
    g.qp = (g.q + COLS - 1) / COLS * COLS;
    /* the weight gradient's last block reads up to 2 vectors from column qp - VLEN + (its first kernel column) */
    g.wp = g.qp + (kw + KX_BLOCK - 1) / KX_BLOCK * KX_BLOCK + 2 * VLEN;
    g.hp = g.p + kh - 1;
    return g;
}

/* xp[ch][row][col] = x[ch][row - pad][col - pad], zero outside the image (the geometry keeps it inside xp). */
static void pad_image(const geometry *g, const float *x, float *xp) {
    memset(xp, 0, sizeof(float) * (size_t)g->c * g->hp * g->wp);
    for (int ch = 0; ch < g->c; ch++) {
        for (int y = 0; y < g->h; y++) {
            memcpy(xp + ((long)ch * g->hp + y + g->pad) * g->wp + g->pad, x + ((long)ch * g->h + y) * g->w,
                   sizeof(float) * (size_t)g->w);
        }
    }
}

/* One output row for output channels [o0, o0 + OC_BLOCK): out[o][col] for col < qp. wt is [tap][k_padded]. */
static void forward_row(const geometry *g, const float *xp, const float *wt, int kpad, int o0, int oy,
                               float *out) {
    for (int col = 0; col < g->qp; col += COLS) {
        vfloat acc[OC_BLOCK][2];
        for (int o = 0; o < OC_BLOCK; o++) acc[o][0] = acc[o][1] = (vfloat){0};
        int tap = 0;
        for (int ch = 0; ch < g->c; ch++) {
            for (int ky = 0; ky < g->kh; ky++) {
                const float *row = xp + ((long)ch * g->hp + oy + ky) * g->wp + col;
                for (int kx = 0; kx < g->kw; kx++, tap++) {
                    vfloat a = *(const vfloat *)(row + kx), b = *(const vfloat *)(row + kx + VLEN);
                    const float *wo = wt + (long)tap * kpad + o0;
                    for (int o = 0; o < OC_BLOCK; o++) {
                        acc[o][0] += wo[o] * a;
                        acc[o][1] += wo[o] * b;
                    }
                }
            }
        }
        for (int o = 0; o < OC_BLOCK; o++) {
            *(vfloat *)(out + (long)o * g->qp + col) = acc[o][0];
            *(vfloat *)(out + (long)o * g->qp + col + VLEN) = acc[o][1];
        }
    }
}

/* y[n] = conv(x[n], weight) + bias for images [from, to); weight is [k][c][kh][kw], bias may be NULL. */
int PER_ISA(direct_conv_forward)(conv_shape shape, const float *x, const float *weight, const float *bias, float *y,
                                 int from, int to) {
    geometry geom = make_geometry(shape), *g = &geom;
    int taps = g->c * g->kh * g->kw, kpad = (g->k + OC_BLOCK - 1) / OC_BLOCK * OC_BLOCK;
    float *xp = malloc(sizeof(float) * (size_t)g->c * g->hp * g->wp);
    float *wt = calloc((size_t)taps * kpad, sizeof(float));
    float *out = malloc(sizeof(float) * (size_t)OC_BLOCK * g->qp);
    if (!xp || !wt || !out) {
        free(xp), free(wt), free(out);
        return -1;
    }
    for (int o = 0; o < g->k; o++) {
        for (int t = 0; t < taps; t++) wt[(long)t * kpad + o] = weight[(long)o * taps + t];
    }
    long in_size = (long)g->c * g->h * g->w, out_plane = (long)g->p * g->q;
    for (int n = from; n < to; n++) {
        pad_image(g, x + n * in_size, xp);
        float *yn = y + (long)n * g->k * out_plane;
        for (int o0 = 0; o0 < g->k; o0 += OC_BLOCK) {
            for (int oy = 0; oy < g->p; oy++) {
                forward_row(g, xp, wt, kpad, o0, oy, out);
                for (int o = o0; o < o0 + OC_BLOCK && o < g->k; o++) {
                    float add = bias ? bias[o] : 0.0f, *dst = yn + o * out_plane + (long)oy * g->q;
                    const float *src = out + (long)(o - o0) * g->qp;
                    for (int col = 0; col < g->q; col++) dst[col] = src[col] + add;
                }
            }
        }
    }
    free(xp), free(wt), free(out);
    return 0;
}

/* dw[o][ch][ky][kx0 .. kx0 + KX_BLOCK) for o in [o0, o0 + OC_GRAD), summed over one image: dyp is [k][p][qp]. */
static void weight_block(const geometry *g, const float *xp, const float *dyp, int o0, int ch, int ky, int kx0,
                                float sums[OC_GRAD][KX_BLOCK]) {
    vfloat acc[OC_GRAD][KX_BLOCK];
    for (int o = 0; o < OC_GRAD; o++) {
        for (int j = 0; j < KX_BLOCK; j++) acc[o][j] = (vfloat){0};
    }
    long plane = (long)g->p * g->qp;
    for (int oy = 0; oy < g->p; oy++) {
        const float *row = xp + ((long)ch * g->hp + oy + ky) * g->wp + kx0;
        const float *d = dyp + (long)o0 * plane + (long)oy * g->qp;
        for (int col = 0; col < g->qp; col += VLEN) {
            vfloat grad[OC_GRAD];
            for (int o = 0; o < OC_GRAD; o++) grad[o] = *(const vfloat *)(d + o * plane + col);
#if SHIFT_IN_REGISTERS
            vfloat lo = *(const vfloat *)(row + col), hi = *(const vfloat *)(row + col + 16);
#define ACCUMULATE(j) for (int o = 0; o < OC_GRAD; o++) acc[o][j] += grad[o] * SHIFTED(lo, hi, j);
            ACCUMULATE(0) ACCUMULATE(1) ACCUMULATE(2) ACCUMULATE(3) ACCUMULATE(4) ACCUMULATE(5) ACCUMULATE(6) ACCUMULATE(7)
#undef ACCUMULATE
#else
            for (int j = 0; j < KX_BLOCK; j++) {
                vfloat x = *(const vfloat *)(row + col + j);
                for (int o = 0; o < OC_GRAD; o++) acc[o][j] += grad[o] * x;
            }
#endif
        }
    }
    for (int o = 0; o < OC_GRAD; o++) {
        for (int j = 0; j < KX_BLOCK; j++) {
            float s = 0.0f;
            for (int l = 0; l < VLEN; l++) s += acc[o][j][l];
            sums[o][j] = s;
        }
    }
}

/* dw = Σ over images [from, to), in order, of the weight gradient of each (dw is overwritten). */
int PER_ISA(direct_conv_backward_weights)(conv_shape shape, const float *x, const float *dy, float *dw, int from, int to) {
    geometry geom = make_geometry(shape), *g = &geom;
    int kpad = (g->k + OC_GRAD - 1) / OC_GRAD * OC_GRAD, taps = g->c * g->kh * g->kw;
    long plane = (long)g->p * g->qp;
    float *xp = malloc(sizeof(float) * (size_t)g->c * g->hp * g->wp);
    float *dyp = calloc((size_t)kpad * plane, sizeof(float));
    if (!xp || !dyp) {
        free(xp), free(dyp);
        return -1;
    }
    memset(dw, 0, sizeof(float) * (size_t)g->k * taps);
    long in_size = (long)g->c * g->h * g->w, out_plane = (long)g->p * g->q;
    for (int n = from; n < to; n++) {
        pad_image(g, x + n * in_size, xp);
        const float *dyn = dy + (long)n * g->k * out_plane;
        for (int o = 0; o < g->k; o++) {
            for (int oy = 0; oy < g->p; oy++) {
                memcpy(dyp + o * plane + (long)oy * g->qp, dyn + o * out_plane + (long)oy * g->q, sizeof(float) * (size_t)g->q);
            }
        }
        float sums[OC_GRAD][KX_BLOCK];
        for (int o0 = 0; o0 < g->k; o0 += OC_GRAD) {
            for (int ch = 0; ch < g->c; ch++) {
                for (int ky = 0; ky < g->kh; ky++) {
                    for (int kx0 = 0; kx0 < g->kw; kx0 += KX_BLOCK) {
                        weight_block(g, xp, dyp, o0, ch, ky, kx0, sums);
                        for (int o = o0; o < o0 + OC_GRAD && o < g->k; o++) {
                            float *dst = dw + (long)o * taps + ((long)ch * g->kh + ky) * g->kw;
                            for (int j = 0; j < KX_BLOCK && kx0 + j < g->kw; j++) dst[kx0 + j] += sums[o - o0][j];
                        }
                    }
                }
            }
        }
    }
    free(xp), free(dyp);
    return 0;
}

#ifdef SIMIL_JNI
DECLARE_PER_ISA(int, direct_conv_forward, (conv_shape shape, const float *x, const float *weight, const float *bias,
                                          float *y, int from, int to));
DECLARE_PER_ISA(int, direct_conv_backward_weights, (conv_shape shape, const float *x, const float *dy, float *dw,
                                                   int from, int to));

JNIEXPORT jint JNICALL Java_simil_backend_cpu_NativeDirectConv_forward(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray weight, jint weightOffset, jfloatArray bias,
        jint biasOffset, jfloatArray y, jint yOffset, jint from, jint to, jint c, jint h, jint w, jint k, jint kh,
        jint kw, jint pad) {
    conv_shape shape = {c, h, w, k, kh, kw, pad};
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *pw = (*env)->GetPrimitiveArrayCritical(env, weight, NULL);
    float *pb = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    float *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    int status = DISPATCH(isa, direct_conv_forward,
                          (shape, px + xOffset, pw + weightOffset, pb ? pb + biasOffset : NULL, py + yOffset, from, to));
    (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, bias, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, weight, pw, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return status;
}

JNIEXPORT jint JNICALL Java_simil_backend_cpu_NativeDirectConv_backwardWeights(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray dy, jint dyOffset, jfloatArray dw,
        jint dwOffset, jint from, jint to, jint c, jint h, jint w, jint k, jint kh, jint kw, jint pad) {
    conv_shape shape = {c, h, w, k, kh, kw, pad};
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *pdy = (*env)->GetPrimitiveArrayCritical(env, dy, NULL);
    float *pdw = (*env)->GetPrimitiveArrayCritical(env, dw, NULL);
    int status = DISPATCH(isa, direct_conv_backward_weights, (shape, px + xOffset, pdy + dyOffset, pdw + dwOffset, from, to));
    (*env)->ReleasePrimitiveArrayCritical(env, dw, pdw, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, dy, pdy, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return status;
}
#endif
