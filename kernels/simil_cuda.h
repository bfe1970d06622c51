// Included first by every kernels/*.cu: the CUDA features our kernels may use, for nvcc and for the host
// emulator (kernels/emulator/, built with -DSIMIL_CUDA_EMULATOR), which defines the same names on the CPU.
#pragma once
#include <float.h>
#include <math.h>

#ifdef SIMIL_CUDA_EMULATOR
#include "emulator/cuda_host.h"
#else
// Dynamic shared memory, sized by the launch: a declaration in CUDA, a pointer into the block's buffer in the emulator.
#define SIMIL_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif
