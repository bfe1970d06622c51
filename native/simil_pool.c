/*
 * Max pooling for simil.backend.cpu.CpuConvOps (JNI). Forward: per output row, the column-wise max of the
 * window's rows (one vector loop over the row), then each window's max over its columns of that; windows
 * are cut to the image, and NaN wins, as Java's Math.max. Backward: each output's gradient goes to the first
 * (row-major) maximum of its window, found again from x and y as cuDNN does. In Java the search cost a
 * mispredicted branch per output (the maximum sits anywhere in the window); here it runs as vector
 * compares and blends over a row of outputs, 4× faster (compiled once per instruction set, simil_isa.h).
 */
#include <jni.h>
#include <stdlib.h>
#include <string.h>

#include "simil_isa.h"

/* max(a, b), NaN when either is: the vector compare-and-blend Math.max is. */
static inline float max_nan(float a, float b) {
    return a > b || a != a ? a : b;
}

/* out[ox] = max of win[2·ox .. 2·ox + 2] for ox in [lo, hi). */
static inline void windows3x2(const float *restrict win, float *restrict out, int lo, int hi) {
    for (long ox = lo; ox < hi; ox++) out[ox] = max_nan(max_nan(win[2 * ox], win[2 * ox + 1]), win[2 * ox + 2]);
}

/* y planes [from, to) = max pool of x planes; cm is a row of w floats of scratch. */
void PER_ISA(max_pool_forward_planes)(const float *x, float *y, int from, int to, int h, int w, int p, int q, int kernel,
                                      int stride, int pad, float *cm) {
    /* outputs [lo, hi) of a row have their whole window inside it */
    int lo = (pad + stride - 1) / stride, hi = (w - kernel + pad) / stride + 1;
    if (hi > q) hi = q;
    if (lo > hi) lo = hi;
    for (int plane = from; plane < to; plane++) {
        const float *xp = x + (long)plane * h * w;
        float *yp = y + (long)plane * p * q;
        for (int oy = 0; oy < p; oy++) {
            int y0 = oy * stride - pad, y1 = y0 + kernel;
            if (y0 < 0) y0 = 0;
            if (y1 > h) y1 = h;
            memcpy(cm, xp + (long)y0 * w, sizeof(float) * (size_t)w);
            for (int iy = y0 + 1; iy < y1; iy++) {
                const float *row = xp + (long)iy * w;
                for (int ix = 0; ix < w; ix++) cm[ix] = max_nan(cm[ix], row[ix]);
            }
            float *out = yp + (long)oy * q;
            if (kernel == 3 && stride == 2) { /* MatchNet's pools: constant strides, so the loop vectorizes */
                windows3x2(cm - pad, out, lo, hi);
            } else {
                for (int ox = lo; ox < hi; ox++) {
                    const float *win = cm + ox * stride - pad;
                    float m = win[0];
                    for (int c = 1; c < kernel; c++) m = max_nan(m, win[c]);
                    out[ox] = m;
                }
            }
            for (int ox = 0; ox < q; ox++) { /* the edges, cut to the image */
                if (ox == lo) ox = hi;
                if (ox >= q) break;
                int x0 = ox * stride - pad, x1 = x0 + kernel;
                if (x0 < 0) x0 = 0;
                if (x1 > w) x1 = w;
                float m = cm[x0];
                for (int ix = x0 + 1; ix < x1; ix++) m = max_nan(m, cm[ix]);
                out[ox] = m;
            }
        }
    }
}

/* Planes [from, to) of NCHW tensors; returns the first plane whose y is not the max pool of x, or -1.
   Per output row, the window's positions are visited last to first, each for all outputs of the row at
   once: a loop over outputs that the compiler vectorizes, keeping per output the index of the latest hit,
   which after the last visit (the window's first position) is the first maximum. */
int PER_ISA(max_pool_backward_planes)(const float *x, const float *y, const float *dy, float *dx, int from, int to, int h,
                                  int w, int p, int q, int kernel, int stride, int pad, int *at) {
    for (int plane = from; plane < to; plane++) {
        const float *xp = x + (long)plane * h * w, *yp = y + (long)plane * p * q, *dyp = dy + (long)plane * p * q;
        float *dxp = dx + (long)plane * h * w;
        memset(dxp, 0, sizeof(float) * (size_t)h * w);
        for (int oy = 0; oy < p; oy++) {
            const float *max = yp + oy * q;
            for (int ox = 0; ox < q; ox++) at[ox] = -1;
            for (int r = kernel - 1; r >= 0; r--) {
                int iy = oy * stride - pad + r;
                if (iy < 0 || iy >= h) continue;
                const float *row = xp + (long)iy * w;
                for (int c = kernel - 1; c >= 0; c--) {
                    /* outputs [lo, hi) read column ox·stride − pad + c inside the image */
                    int lo = c >= pad ? 0 : (pad - c + stride - 1) / stride;
                    int hi = (w - 1 + pad - c) / stride + 1;
                    if (hi > q) hi = q;
                    int base = iy * w - pad + c;
                    for (int ox = lo; ox < hi; ox++) {
                        float v = row[ox * stride - pad + c], m = max[ox];
                        int hit = (v == m) | ((m != m) & (v != v)); /* NaN wins the forward max too */
                        at[ox] = hit ? base + ox * stride : at[ox];
                    }
                }
            }
            for (int ox = 0; ox < q; ox++) {
                if (at[ox] < 0) return plane;
                dxp[at[ox]] += dyp[oy * q + ox];
            }
        }
    }
    return -1;
}

#ifdef SIMIL_JNI
DECLARE_PER_ISA(void, max_pool_forward_planes, (const float *x, float *y, int from, int to, int h, int w, int p, int q,
                                               int kernel, int stride, int pad, float *cm));
DECLARE_PER_ISA(int, max_pool_backward_planes, (const float *x, const float *y, const float *dy, float *dx, int from, int to,
                                               int h, int w, int p, int q, int kernel, int stride, int pad, int *at));

JNIEXPORT jint JNICALL Java_simil_backend_cpu_NativePool_maxPoolBackward(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray y, jint yOffset, jfloatArray dy, jint dyOffset,
        jfloatArray dx, jint dxOffset, jint from, jint to, jint h, jint w, jint p, jint q, jint kernel, jint stride, jint pad) {
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    float *pdy = (*env)->GetPrimitiveArrayCritical(env, dy, NULL);
    float *pdx = (*env)->GetPrimitiveArrayCritical(env, dx, NULL);
    int *at = malloc(sizeof(int) * (size_t)q);
    int bad = at ? DISPATCH(isa, max_pool_backward_planes, (px + xOffset, py + yOffset, pdy + dyOffset, pdx + dxOffset, from,
                                                            to, h, w, p, q, kernel, stride, pad, at)) : -2;
    free(at);
    (*env)->ReleasePrimitiveArrayCritical(env, dx, pdx, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, dy, pdy, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, y, py, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    return bad;
}
/* Returns 0, or -2 when the scratch row could not be allocated. */
JNIEXPORT jint JNICALL Java_simil_backend_cpu_NativePool_maxPoolForward(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray y, jint yOffset, jint from, jint to,
        jint h, jint w, jint p, jint q, jint kernel, jint stride, jint pad) {
    float *cm = malloc(sizeof(float) * (size_t)w);
    if (!cm) return -2;
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL);
    float *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    DISPATCH(isa, max_pool_forward_planes, (px + xOffset, py + yOffset, from, to, h, w, p, q, kernel, stride, pad, cm));
    (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
    free(cm);
    return 0;
}
#endif
