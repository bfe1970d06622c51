/*
 * The exact GELU, x·Φ(x) = x/2 · (1 + erf(x/√2)), forward and backward, for
 * simil.backend.cpu.CpuActivationOps (JNI). erf comes from simil.backend.cpu.Erf's table of cubic Hermite
 * pieces (1/128-wide intervals on [0, 6], error below 1e-10 in double; here in float), handed over once by
 * init. In Java each element's table lookup kept the loop scalar; here the loop vectorizes, with gathers
 * for the lookups (compiled once per instruction set, simil_isa.h). Beyond 6, erf is ±1; NaN stays NaN.
 */
#include <jni.h>

#include "simil_isa.h"

enum { STEPS_PER_UNIT = 128, INTERVALS = 6 * STEPS_PER_UNIT };
#define INV_SQRT2 0.70710678118654752f

/* Per interval i: erf(x0 + t·h) = c[0][i] + t·(c[1][i] + t·(c[2][i] + t·c[3][i])), t in [0, 1]. */
extern float gelu_erf_pieces[4][INTERVALS];

/* The piece of erf at z: its interval and t within it (NaN and |z| > 6 land on the last interval's end). */
#define PIECE(z, k, t)                                                   \
    float u_ = (z) < 0 ? -(z) : (z);                                     \
    u_ = (u_ < 6.0f ? u_ : 6.0f) * STEPS_PER_UNIT;                       \
    int k = (int)u_;                                                     \
    k = k < INTERVALS - 1 ? k : INTERVALS - 1;                           \
    float t = u_ - k

void PER_ISA(gelu_forward)(const float *restrict x, float *restrict y, long n) {
    const float(*c)[INTERVALS] = gelu_erf_pieces;
    for (long i = 0; i < n; i++) {
        float v = x[i], z = v * INV_SQRT2;
        PIECE(z, k, t);
        float r = c[0][k] + t * (c[1][k] + t * (c[2][k] + t * c[3][k]));
        float erf = z < 0 ? -r : r;
        y[i] = v * 0.5f * (1.0f + erf);
    }
}

/* dx = dy · (Φ(x) + x·φ(x)), φ(x) = erf'(x/√2) / (2√2), erf' the slope of the same piece. */
void PER_ISA(gelu_backward)(const float *restrict x, const float *restrict dy, float *restrict dx, long n) {
    const float(*c)[INTERVALS] = gelu_erf_pieces;
    for (long i = 0; i < n; i++) {
        float v = x[i], z = v * INV_SQRT2;
        PIECE(z, k, t);
        float r = c[0][k] + t * (c[1][k] + t * (c[2][k] + t * c[3][k]));
        float slope = (c[1][k] + t * (2.0f * c[2][k] + t * 3.0f * c[3][k])) * STEPS_PER_UNIT;
        float cdf = 0.5f * (1.0f + (z < 0 ? -r : r)), pdf = 0.5f * INV_SQRT2 * slope;
        dx[i] = dy[i] * (cdf + v * pdf);
    }
}

#ifdef SIMIL_JNI
float gelu_erf_pieces[4][INTERVALS];

DECLARE_PER_ISA(void, gelu_forward, (const float *restrict x, float *restrict y, long n));
DECLARE_PER_ISA(void, gelu_backward, (const float *restrict x, const float *restrict dy, float *restrict dx, long n));

/* The table, as Erf builds it: 4 doubles per interval; false when it has not INTERVALS intervals. */
JNIEXPORT jboolean JNICALL Java_simil_backend_cpu_NativeGelu_init(JNIEnv *env, jclass cls, jdoubleArray coefficients) {
    if ((*env)->GetArrayLength(env, coefficients) != 4 * INTERVALS) return JNI_FALSE;
    double *p = (*env)->GetPrimitiveArrayCritical(env, coefficients, NULL);
    for (int i = 0; i < INTERVALS; i++) {
        for (int j = 0; j < 4; j++) gelu_erf_pieces[j][i] = (float)p[4 * i + j];
    }
    (*env)->ReleasePrimitiveArrayCritical(env, coefficients, p, JNI_ABORT);
    return JNI_TRUE;
}

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeGelu_forward(JNIEnv *env, jclass cls, jint isa, jfloatArray x,
                                                                 jint xOffset, jfloatArray y, jint yOffset, jint n) {
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL), *py = (*env)->GetPrimitiveArrayCritical(env, y, NULL);
    DISPATCH(isa, gelu_forward, (px + xOffset, py + yOffset, n));
    (*env)->ReleasePrimitiveArrayCritical(env, y, py, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeGelu_backward(JNIEnv *env, jclass cls, jint isa, jfloatArray x,
                                                                  jint xOffset, jfloatArray dy, jint dyOffset,
                                                                  jfloatArray dx, jint dxOffset, jint n) {
    float *px = (*env)->GetPrimitiveArrayCritical(env, x, NULL), *pdy = (*env)->GetPrimitiveArrayCritical(env, dy, NULL);
    float *pdx = (*env)->GetPrimitiveArrayCritical(env, dx, NULL);
    DISPATCH(isa, gelu_backward, (px + xOffset, pdy + dyOffset, pdx + dxOffset, n));
    (*env)->ReleasePrimitiveArrayCritical(env, dx, pdx, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, dy, pdy, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, x, px, JNI_ABORT);
}
#endif
