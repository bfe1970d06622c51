/*
 * Which of the instruction-set extensions Simil's kernels use this CPU runs (JNI, for
 * simil.backend.cpu.Isa), as bits in the order of Isa.Feature. Asked of the CPU itself (cpuid and the
 * operating system's saved register state, through GCC's runtime), not of /proc/cpuinfo.
 */
#include <jni.h>

JNIEXPORT jint JNICALL Java_simil_backend_cpu_Isa_cpuFeatures(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    const int present[] = {
        __builtin_cpu_supports("avx2"),     __builtin_cpu_supports("fma"),      __builtin_cpu_supports("avx512f"),
        __builtin_cpu_supports("avx512bw"), __builtin_cpu_supports("avx512vl"), __builtin_cpu_supports("avx512dq"),
        __builtin_cpu_supports("avx512vnni"),
    };
    jint bits = 0;
    for (unsigned i = 0; i < sizeof present / sizeof present[0]; i++) bits |= (present[i] != 0) << i;
    return bits;
}
