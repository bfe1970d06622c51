/*
 * JNI bridge from Java float arrays to OpenBLAS's cblas_sgemm without copies.
 *
 * JavaCPP's own array overloads copy every array in and out (GetFloatArrayElements), which costs as much
 * as the product itself for convolution-sized operands. Here the arrays are pinned with
 * GetPrimitiveArrayCritical for the duration of one call. The sgemm entry point is the one JavaCPP loaded
 * from the OpenBLAS presets; Java hands us its address once (bind).
 */
#include <jni.h>
#include <stddef.h>
#include <stdlib.h>

typedef void (*sgemm_fn)(int order, int transA, int transB, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

static sgemm_fn sgemm;
static int (*set_threads_local)(int);
static int process_threads = 1;

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBlas_bind(JNIEnv *env, jclass cls, jlong address) {
    sgemm = (sgemm_fn)(size_t)address;
}

/* C[batch] = alpha * op(A[batch]) * op(B[batch]) + beta * C[batch], row-major, strided batches. */
JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBlas_sgemmStridedBatched(
        JNIEnv *env, jclass cls, jboolean transA, jboolean transB, jint m, jint n, jint k, jfloat alpha,
        jfloatArray a, jint aOffset, jint lda, jint strideA,
        jfloatArray b, jint bOffset, jint ldb, jint strideB, jfloat beta,
        jfloatArray c, jint cOffset, jint ldc, jint strideC, jint batch, jboolean singleThreaded) {
    /* A caller that is itself one of several parallel workers asks for a single-threaded product:
       two multi-threaded sgemms at once oversubscribe the cores. */
    if (singleThreaded) set_threads_local(1);
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    float *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    for (int i = 0; i < batch; i++) {
        sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
              pa + aOffset + (size_t)i * strideA, lda, pb + bOffset + (size_t)i * strideB, ldb, beta,
              pc + cOffset + (size_t)i * strideC, ldc);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    if (singleThreaded) set_threads_local(process_threads);
}

/* OpenBLAS's thread count, for the process and per calling thread; the presets expose neither
   openblas_set_num_threads nor openblas_set_num_threads_local, so Java passes their addresses. */
JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBlas_setThreads(JNIEnv *env, jclass cls, jlong address,
                                                                   jlong localAddress, jint n) {
    set_threads_local = (int (*)(int))(size_t)localAddress;
    process_threads = n;
    ((void (*)(int))(size_t)address)(n);
}

/* Sets an environment variable of this process unless it is set already (OpenBLAS reads its settings from
   the environment when it loads, and Java has no setenv). */
JNIEXPORT void JNICALL Java_simil_backend_cpu_NativeBlas_setEnvironmentDefault(JNIEnv *env, jclass cls, jstring name,
                                                                               jstring value) {
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    const char *v = (*env)->GetStringUTFChars(env, value, NULL);
    setenv(n, v, 0);
    (*env)->ReleaseStringUTFChars(env, value, v);
    (*env)->ReleaseStringUTFChars(env, name, n);
}

/* The string a `char *f(void)` of OpenBLAS at `address` returns: openblas_get_corename() (the kernel family it chose
   for this CPU) or openblas_get_config() (its version and build options). */
JNIEXPORT jstring JNICALL Java_simil_backend_cpu_NativeBlas_stringOf(JNIEnv *env, jclass cls, jlong address) {
    char *(*describe)(void) = (char *(*)(void))(size_t)address;
    return (*env)->NewStringUTF(env, describe());
}
