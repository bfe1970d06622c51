// Included first by every kernels/*.cu: the CUDA features our kernels may use, for nvcc and for the host
// emulator (kernels/emulator/, built with -DSIMIL_CUDA_EMULATOR), which defines the same names on the CPU.
#pragma once
#include <float.h>
#include <math.h>

#ifdef SIMIL_CUDA_EMULATOR
#include "emulator/cuda_host.h"
// Products rounded on their own, never fused into a multiply-add (nvcc's intrinsics): for kernels that must give
// the CPU backend's floats bit for bit. The volatile store keeps g++ from fusing them on hosts with FMA.
static inline float __fmul_rn(float a, float b) { volatile float p = a * b; return p; }
static inline double __dmul_rn(double a, double b) { volatile double p = a * b; return p; }
#else
// Dynamic shared memory, sized by the launch: a declaration in CUDA, a pointer into the block's buffer in the emulator.
#define SIMIL_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif
