// The CUDA features of kernels/simil_cuda.h on the host, for the emulator (launch.cpp): kernels/*.cu compile as
// C++ with g++ -DSIMIL_CUDA_EMULATOR. Each CUDA thread is a fiber; a block's threads run on one OS thread, one at a
// time, switching only at __syncthreads and warp shuffles, so atomics are plain read-modify-writes and a kernel's
// static __shared__ arrays are its block's shared memory (blocks run one after another).
#pragma once
#include <string.h>

#define __global__
#define __device__
#define __forceinline__ inline __attribute__((always_inline))
// In a section of their own, so that a launch can fill them all with garbage first (launch.cpp).
#define __shared__ static __attribute__((section("simil_shared")))
// __restrict__ is a g++ keyword already.

struct simil_emu_dim3 {
    unsigned int x, y, z;
};
// Set by the scheduler before it switches to a thread (or a block).
extern simil_emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

extern "C" {
void simil_emu_syncthreads(const char* site);
void* simil_emu_dynamic_shared(void);
unsigned int simil_emu_shfl(int kind, unsigned int mask, unsigned int bits, int arg);
}
enum { SIMIL_EMU_SHFL_XOR = 0, SIMIL_EMU_SHFL_DOWN = 1 };

// A call the compiler cannot see into, so shared memory and globals are re-read after it. Its source line names the
// barrier: g++ may duplicate a call (jump threading copies a loop's __syncthreads into both arms of an if), so the
// call's return address would tell one barrier of the source from itself.
#define SIMIL_EMU_STRING(x) #x
#define SIMIL_EMU_LINE(file, line) file ":" SIMIL_EMU_STRING(line)
#define __syncthreads() simil_emu_syncthreads(SIMIL_EMU_LINE(__FILE__, __LINE__))
#define SIMIL_DYNAMIC_SHARED(type, name) type* name = (type*) simil_emu_dynamic_shared()

static inline int __float_as_int(float f) { int i; memcpy(&i, &f, 4); return i; }
static inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }

static inline float __shfl_xor_sync(unsigned int mask, float v, int laneMask) {
    return __int_as_float((int) simil_emu_shfl(SIMIL_EMU_SHFL_XOR, mask, (unsigned int) __float_as_int(v), laneMask));
}
static inline int __shfl_xor_sync(unsigned int mask, int v, int laneMask) {
    return (int) simil_emu_shfl(SIMIL_EMU_SHFL_XOR, mask, (unsigned int) v, laneMask);
}
static inline float __shfl_down_sync(unsigned int mask, float v, unsigned int delta) {
    return __int_as_float((int) simil_emu_shfl(SIMIL_EMU_SHFL_DOWN, mask, (unsigned int) __float_as_int(v), (int) delta));
}
static inline int __shfl_down_sync(unsigned int mask, int v, unsigned int delta) {
    return (int) simil_emu_shfl(SIMIL_EMU_SHFL_DOWN, mask, (unsigned int) v, (int) delta);
}

// Threads switch only at barriers, so a read-modify-write is atomic.
static inline float atomicAdd(float* p, float v) { float old = *p; *p = old + v; return old; }
static inline int atomicAdd(int* p, int v) { int old = *p; *p = old + v; return old; }
static inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
    unsigned long long old = *p; *p = old + v; return old;
}
static inline int atomicMax(int* p, int v) { int old = *p; if (v > old) *p = v; return old; }
