/*
 * Batch-norm passes for simil.backend.cpu.CpuNormOps (JNI), over channels [c0, c1) of x read as
 * [batch, channels, spatial]. In Java these loops ran scalar in double (a sixth of a MatchNet training
 * step); here each row of `spatial` values is reduced in float SIMD lanes and the rows are summed in
 * double, in an order fixed by the code alone, so results do not depend on the thread count.
 * Precision where activations sit far from zero (mean >> std) is kept by two float splits:
 *   - statistics sum x - K, K being the channel's first value, so the mean does not cancel the variance;
 *   - normalization subtracts the double mean as hi + lo (two floats): x - hi is exact near the mean.
 * Compiled once per instruction set (simil_isa.h); the row loops vectorize at its width.
 */
#include <jni.h>

#include "simil_isa.h"

static inline const float *row_of(const float *t, int n, int c, int channels, int spatial) {
    return t + ((long)n * channels + c) * spatial;
}

/* mean and biased variance per channel */
void PER_ISA(batch_norm_stats)(const float *x, int batch, int channels, int spatial, int c0, int c1, double *mean, double *var) {
    double count = (double)batch * spatial;
    for (int c = c0; c < c1; c++) {
        float k = x[(long)c * spatial];
        double sum = 0, sq = 0;
        for (int n = 0; n < batch; n++) {
            const float *row = row_of(x, n, c, channels, spatial);
            float s = 0, q = 0;
#pragma omp simd reduction(+ : s, q)
            for (int i = 0; i < spatial; i++) {
                float d = row[i] - k;
                s += d;
                q += d * d;
            }
            sum += s;
            sq += q;
        }
        double shifted = sum / count;
        double v = sq / count - shifted * shifted;
        mean[c - c0] = k + shifted;
        var[c - c0] = v > 0 ? v : 0;
    }
}

/* y = ((x - hi) - lo) * scale + shift, per channel */
void PER_ISA(batch_norm_normalize)(const float *x, float *y, int batch, int channels, int spatial, int c0, int c1,
                             const float *hi, const float *lo, const float *scale, const float *shift) {
    for (int c = c0; c < c1; c++) {
        float h = hi[c - c0], l = lo[c - c0], a = scale[c - c0], b = shift[c - c0];
        for (int n = 0; n < batch; n++) {
            const float *in = row_of(x, n, c, channels, spatial);
            float *out = y + (in - x);
#pragma omp simd
            for (int i = 0; i < spatial; i++) out[i] = ((in[i] - h) - l) * a + b;
        }
    }
}

/* per channel: sum of dy and of dy * x̂, x̂ = ((x - hi) - lo) * invStd */
void PER_ISA(batch_norm_backward_sums)(const float *x, const float *dy, int batch, int channels, int spatial, int c0, int c1,
                                 const float *hi, const float *lo, const float *inv_std, double *sum_dy,
                                 double *sum_dy_xhat) {
    for (int c = c0; c < c1; c++) {
        float h = hi[c - c0], l = lo[c - c0], r = inv_std[c - c0];
        double sd = 0, sdx = 0;
        for (int n = 0; n < batch; n++) {
            const float *xr = row_of(x, n, c, channels, spatial), *dr = row_of(dy, n, c, channels, spatial);
            float s = 0, t = 0;
#pragma omp simd reduction(+ : s, t)
            for (int i = 0; i < spatial; i++) {
                s += dr[i];
                t += dr[i] * (((xr[i] - h) - l) * r);
            }
            sd += s;
            sdx += t;
        }
        sum_dy[c - c0] = sd;
        sum_dy_xhat[c - c0] = sdx;
    }
}

/* dx = k · (dy − mean(dy) − x̂ · mean(dy · x̂)), k = γ · invStd */
void PER_ISA(batch_norm_backward_dx)(const float *x, const float *dy, float *dx, int batch, int channels, int spatial,
                               int c0, int c1, const float *hi, const float *lo, const float *inv_std, const float *k,
                               const float *mean_dy, const float *mean_dy_xhat) {
    for (int c = c0; c < c1; c++) {
        int j = c - c0;
        float h = hi[j], l = lo[j], r = inv_std[j], g = k[j], md = mean_dy[j], mdx = mean_dy_xhat[j];
        for (int n = 0; n < batch; n++) {
            const float *xr = row_of(x, n, c, channels, spatial), *dr = row_of(dy, n, c, channels, spatial);
            float *out = dx + (xr - x);
#pragma omp simd
            for (int i = 0; i < spatial; i++) out[i] = g * (dr[i] - md - (((xr[i] - h) - l) * r) * mdx);
        }
    }
}

#ifdef SIMIL_JNI
DECLARE_PER_ISA(void, batch_norm_stats, (const float *x, int batch, int channels, int spatial, int c0, int c1, double *mean,
                                        double *var));
DECLARE_PER_ISA(void, batch_norm_normalize, (const float *x, float *y, int batch, int channels, int spatial, int c0, int c1,
                                            const float *hi, const float *lo, const float *scale, const float *shift));
DECLARE_PER_ISA(void, batch_norm_backward_sums, (const float *x, const float *dy, int batch, int channels, int spatial,
                                                int c0, int c1, const float *hi, const float *lo, const float *inv_std,
                                                double *sum_dy, double *sum_dy_xhat));
DECLARE_PER_ISA(void, batch_norm_backward_dx, (const float *x, const float *dy, float *dx, int batch, int channels,
                                              int spatial, int c0, int c1, const float *hi, const float *lo,
                                              const float *inv_std, const float *k, const float *mean_dy,
                                              const float *mean_dy_xhat));

#define GET(a) (*env)->GetPrimitiveArrayCritical(env, a, NULL)
#define KEEP(a, p) (*env)->ReleasePrimitiveArrayCritical(env, a, p, 0)
#define DROP(a, p) (*env)->ReleasePrimitiveArrayCritical(env, a, p, JNI_ABORT)

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBatchNorm_stats(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jint batch, jint channels, jint spatial, jint c0, jint c1,
        jdoubleArray mean, jdoubleArray var) {
    float *px = GET(x);
    double *pm = GET(mean), *pv = GET(var);
    DISPATCH(isa, batch_norm_stats, (px + xOffset, batch, channels, spatial, c0, c1, pm, pv));
    KEEP(var, pv);
    KEEP(mean, pm);
    DROP(x, px);
}

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBatchNorm_normalize(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray y, jint yOffset, jint batch, jint channels,
        jint spatial, jint c0, jint c1, jfloatArray hi, jfloatArray lo, jfloatArray scale, jfloatArray shift) {
    float *px = GET(x), *py = GET(y), *ph = GET(hi), *pl = GET(lo), *pa = GET(scale), *pb = GET(shift);
    DISPATCH(isa, batch_norm_normalize, (px + xOffset, py + yOffset, batch, channels, spatial, c0, c1, ph, pl, pa, pb));
    DROP(shift, pb);
    DROP(scale, pa);
    DROP(lo, pl);
    DROP(hi, ph);
    KEEP(y, py);
    DROP(x, px);
}

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBatchNorm_backwardSums(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray dy, jint dyOffset, jint batch, jint channels,
        jint spatial, jint c0, jint c1, jfloatArray hi, jfloatArray lo, jfloatArray invStd, jdoubleArray sumDy,
        jdoubleArray sumDyXhat) {
    float *px = GET(x), *pdy = GET(dy), *ph = GET(hi), *pl = GET(lo), *pr = GET(invStd);
    double *ps = GET(sumDy), *pt = GET(sumDyXhat);
    DISPATCH(isa, batch_norm_backward_sums, (px + xOffset, pdy + dyOffset, batch, channels, spatial, c0, c1, ph, pl, pr, ps, pt));
    KEEP(sumDyXhat, pt);
    KEEP(sumDy, ps);
    DROP(invStd, pr);
    DROP(lo, pl);
    DROP(hi, ph);
    DROP(dy, pdy);
    DROP(x, px);
}

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBatchNorm_backwardDx(
        JNIEnv *env, jclass cls, jint isa, jfloatArray x, jint xOffset, jfloatArray dy, jint dyOffset, jfloatArray dx,
        jint dxOffset, jint batch, jint channels, jint spatial, jint c0, jint c1, jfloatArray hi, jfloatArray lo,
        jfloatArray invStd, jfloatArray k, jfloatArray meanDy, jfloatArray meanDyXhat) {
    float *px = GET(x), *pdy = GET(dy), *pdx = GET(dx), *ph = GET(hi), *pl = GET(lo), *pr = GET(invStd);
    float *pk = GET(k), *pm = GET(meanDy), *pmx = GET(meanDyXhat);
    DISPATCH(isa, batch_norm_backward_dx,
             (px + xOffset, pdy + dyOffset, pdx + dxOffset, batch, channels, spatial, c0, c1, ph, pl, pr, pk, pm, pmx));
    DROP(meanDyXhat, pmx);
    DROP(meanDy, pm);
    DROP(k, pk);
    DROP(invStd, pr);
    DROP(lo, pl);
    DROP(hi, ph);
    KEEP(dx, pdx);
    DROP(dy, pdy);
    DROP(x, px);
}
#endif
