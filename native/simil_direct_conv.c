/*
 * Direct stride-1 convolution for layers with few input channels (MatchNet's first layer: 3 -> 24, 7x7),
 * forward and weight gradient (JNI), called by simil.backend.cpu.DirectConv.
 *
 * Why not im2col: with 3 input channels the column matrix is 147 rows by every output pixel, 49 times the
 * image, so im2col + sgemm spends its time writing and re-reading memory, and the weight gradient's sgemm
 * (24 x 147, summed over 4,096 pixels per image) is too skinny for OpenBLAS. Here each image is copied once
 * into a zero-padded buffer and every multiply-add reads it from cache, vectorized along output columns.
 *
 * Rows are computed in blocks of 32 output columns (two 16-float vectors); the padded buffers are wide
 * enough that every block, and every kernel-column offset up to KX_BLOCK, reads inside them, so there is no
 * tail code: columns past the output width are computed and dropped (forward) or see a zero gradient
 * (weights). Compiled for AVX-512 and for baseline x86-64 (target_clones), so the library loads anywhere.
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>

#define CLONES __attribute__((target_clones("avx512f", "default")))
#define COLS 32     /* output columns per block */
#define OC_BLOCK 8  /* output channels per forward block */
#define OC_GRAD 3   /* output channels per weight-gradient block */
#define KX_BLOCK 8  /* kernel columns per weight-gradient block (ACCUMULATE below is unrolled for 8) */

typedef float v16 __attribute__((vector_size(64), aligned(4)));

/* Floats j .. j + 15 of the 32 in (lo, hi): one in-register shift (valignd), where loading them from memory
   would be an unaligned load that splits a cache line. */
#define SHIFTED(lo, hi, j) __builtin_shufflevector(lo, hi, j, j + 1, j + 2, j + 3, j + 4, j + 5, j + 6, j + 7, j + 8, \
                                                   j + 9, j + 10, j + 11, j + 12, j + 13, j + 14, j + 15)

typedef struct {
    int c, h, w, k, kh, kw, pad, p, q; /* input channels, height, width; output channels; kernel; padding (>= 0); output size */
    int qp;                            /* output width rounded up to COLS */
    int wp;                            /* padded input row length: room for every block's reads (see below) */
    int hp;                            /* padded input rows: p + kh - 1 */
} geometry;

static geometry make_geometry(jint c, jint h, jint w, jint k, jint kh, jint kw, jint pad) {
    geometry g = {c, h, w, k, kh, kw, pad, h + 2 * pad - kh + 1, w + 2 * pad - kw + 1, 0, 0, 0};
    g.qp = (g.q + COLS - 1) / COLS * COLS;
    /* the weight gradient's last block reads 32 floats from column qp - 16 + (its first kernel column) */
    g.wp = g.qp + (kw + KX_BLOCK - 1) / KX_BLOCK * KX_BLOCK + 16;
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
CLONES static void forward_row(const geometry *g, const float *xp, const float *wt, int kpad, int o0, int oy,
                               float *out) {
    for (int col = 0; col < g->qp; col += COLS) {
        v16 acc[OC_BLOCK][2];
        for (int o = 0; o < OC_BLOCK; o++) acc[o][0] = acc[o][1] = (v16){0};
        int tap = 0;
        for (int ch = 0; ch < g->c; ch++) {
            for (int ky = 0; ky < g->kh; ky++) {
                const float *row = xp + ((long)ch * g->hp + oy + ky) * g->wp + col;
                for (int kx = 0; kx < g->kw; kx++, tap++) {
                    v16 a = *(const v16 *)(row + kx), b = *(const v16 *)(row + kx + 16);
                    const float *wo = wt + (long)tap * kpad + o0;
                    for (int o = 0; o < OC_BLOCK; o++) {
                        acc[o][0] += wo[o] * a;
                        acc[o][1] += wo[o] * b;
                    }
                }
            }
        }
        for (int o = 0; o < OC_BLOCK; o++) {
            *(v16 *)(out + (long)o * g->qp + col) = acc[o][0];
            *(v16 *)(out + (long)o * g->qp + col + 16) = acc[o][1];
        }
    }
}

/* y[n] = conv(x[n], weight) + bias for images [from, to); weight is [k][c][kh][kw], bias may be NULL. */
static int forward(const geometry *g, const float *x, const float *weight, const float *bias, float *y, int from, int to) {
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
CLONES static void weight_block(const geometry *g, const float *xp, const float *dyp, int o0, int ch, int ky, int kx0,
                                float sums[OC_GRAD][KX_BLOCK]) {
    v16 acc[OC_GRAD][KX_BLOCK];
    for (int o = 0; o < OC_GRAD; o++) {
        for (int j = 0; j < KX_BLOCK; j++) acc[o][j] = (v16){0};
    }
    long plane = (long)g->p * g->qp;
    for (int oy = 0; oy < g->p; oy++) {
        const float *row = xp + ((long)ch * g->hp + oy + ky) * g->wp + kx0;
        const float *d = dyp + (long)o0 * plane + (long)oy * g->qp;
        for (int col = 0; col < g->qp; col += 16) {
            v16 grad[OC_GRAD], lo = *(const v16 *)(row + col), hi = *(const v16 *)(row + col + 16);
            for (int o = 0; o < OC_GRAD; o++) grad[o] = *(const v16 *)(d + o * plane + col);
#define ACCUMULATE(j) for (int o = 0; o < OC_GRAD; o++) acc[o][j] += grad[o] * SHIFTED(lo, hi, j);
            ACCUMULATE(0) ACCUMULATE(1) ACCUMULATE(2) ACCUMULATE(3) ACCUMULATE(4) ACCUMULATE(5) ACCUMULATE(6) ACCUMULATE(7)
#undef ACCUMULATE
        }
    }
    for (int o = 0; o < OC_GRAD; o++) {
        for (int j = 0; j < KX_BLOCK; j++) {
            float s = 0.0f;
            for (int l = 0; l < 16; l++) s += acc[o][j][l];
            sums[o][j] = s;
        }
    }
}

/* dw = Σ over images [from, to), in order, of the weight gradient of each (dw is overwritten). */
static int backward_weights(const geometry *g, const float *x, const float *dy, float *dw, int from, int to) {
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

JNIEXPORT jint JNICALL Java_simil_backend_cpu_NativeDirectConv_forward(
        JNIEnv *env, jclass cls, jfloatArray x, jint xOffset, jfloatArray weight, jint weightOffset, jfloatArray bias,
        jint biasOffset, jfloatArray y, jint yOffset, jint from, jint to, jint c, jint h, jint w, jint k, jint kh,
        jint kw, jint pad) {
    geometry g = make_geometry(c, h, w, k, kh, kw, pad);
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *pw = (*env)->GetPrimitiveArrayCritical(env, weight, NULL);
    float *pb = bias ? (*env)->GetPrimitiveArrayCritical(env, bias, NULL) : NULL;
    float *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    int status = forward(&g, px + xOffset, pw + weightOffset, pb ? pb + biasOffset : NULL, py + yOffset, from, to);
    (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
    if (pb) (*env)->ReleasePrimitiveArrayCritical(env, bias, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, weight, pw, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return status;
}

JNIEXPORT jint JNICALL Java_simil_backend_cpu_NativeDirectConv_backwardWeights(
        JNIEnv *env, jclass cls, jfloatArray x, jint xOffset, jfloatArray dy, jint dyOffset, jfloatArray dw,
        jint dwOffset, jint from, jint to, jint c, jint h, jint w, jint k, jint kh, jint kw, jint pad) {
    geometry g = make_geometry(c, h, w, k, kh, kw, pad);
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *pdy = (*env)->GetPrimitiveArrayCritical(env, dy, NULL);
    float *pdw = (*env)->GetPrimitiveArrayCritical(env, dw, NULL);
    int status = backward_weights(&g, px + xOffset, pdy + dyOffset, pdw + dwOffset, from, to);
    (*env)->ReleasePrimitiveArrayCritical(env, dw, pdw, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, dy, pdy, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return status;
}
