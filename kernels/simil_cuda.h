// Included first by every kernels/*.cu: the CUDA features our kernels may use, for nvcc and for the host
// emulator (kernels/emulator/, built with -DSIMIL_CUDA_EMULATOR), which defines the same names on the CPU.
#pragma once
#include <float.h>
#include <math.h>

#ifdef SIMIL_CUDA_EMULATOR
#include "emulator/cuda_host.h"
// Products (sums, quotients, square roots) rounded on their own, never fused into a multiply-add (nvcc's intrinsics): for kernels that must give
// the CPU backend's floats bit for bit. The volatile store keeps g++ from fusing them on hosts with FMA.
static inline float __fmul_rn(float a, float b) { volatile float p = a * b; return p; }
static inline double __dmul_rn(double a, double b) { volatile double p = a * b; return p; }
static inline float __fadd_rn(float a, float b) { volatile float s = a + b; return s; }
static inline float __fdiv_rn(float a, float b) { volatile float q = a / b; return q; }
static inline float __fsqrt_rn(float a) { volatile float r = sqrtf(a); return r; }
#else
// Dynamic shared memory, sized by the launch: a declaration in CUDA, a pointer into the block's buffer in the emulator.
#define SIMIL_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif

// c + the dot product of the four unsigned bytes of a with the four signed bytes of b (PTX dp4a.u32.s32): the int8
// pair kernel's u8 activations times s8 weights (kernels/pair_scoring.cu). CUDA C offers dp4a only with both
// operands signed or both unsigned.
#ifdef SIMIL_CUDA_EMULATOR
static inline int simil_dp4a_us(unsigned int a, int b, int c) {
    for (int i = 0; i < 4; i++) c += (int) ((a >> (8 * i)) & 0xffu) * (int) (signed char) ((unsigned int) b >> (8 * i));
    return c;
}
#else
static __device__ __forceinline__ int simil_dp4a_us(unsigned int a, int b, int c) {
    int d;
    asm("dp4a.u32.s32 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
    return d;
}
#endif
