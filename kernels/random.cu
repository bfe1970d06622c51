// Random fills for simil.backend.cuda.CudaRandomOps: element i of a fill with seed s is a pure function of (s, i),
// computed exactly as simil.tensor.Rng and simil.backend.cpu.CpuRandomOps compute it. Products that Java rounds
// on their own are __fmul_rn / __dmul_rn, which nvcc never fuses into a multiply-add, so uniform and keepMask give
// the CPU's floats bit for bit; normal goes through log and cos, whose last bit may differ between libraries.
#include "simil_cuda.h"
#include "simil_block.h"
#include "simil_rng.h"

// 2^-24 and 2^-53, exactly.
#define RANDOM_TWO_POW_MINUS_24 5.9604644775390625e-08f
#define RANDOM_TWO_POW_MINUS_53 1.1102230246251565e-16
// 2 * Math.PI as Java folds it.
#define RANDOM_TWO_PI 6.283185307179586

// Rng.uniform: in [0, 1), the top 24 bits.
static __device__ __forceinline__ float random_unit(long long seed, long long index) {
    return (float) (rng_bits(seed, index) >> 40) * RANDOM_TWO_POW_MINUS_24;
}

// Rng.normal: Box–Muller over counters 2·index and 2·index + 1, in double, rounded once to float.
static __device__ __forceinline__ float random_standard_normal(long long seed, long long index) {
    double u1 = (double) ((rng_bits(seed, 2 * index) >> 11) + 1) * RANDOM_TWO_POW_MINUS_53;
    double u2 = (double) (rng_bits(seed, 2 * index + 1) >> 11) * RANDOM_TWO_POW_MINUS_53;
    return (float) (sqrt(-2 * log(u1)) * cos(RANDOM_TWO_PI * u2));
}

// t[i] = low + (high - low) · Rng.uniform(seed, i).
// grid: Launch.overElements(n), grid-stride; block: 256.
extern "C" __global__ void random_uniform(float *t, long long n, long long seed, float low, float high) {
    SIMIL_GRID_STRIDE(i, n) {
        t[i] = low + __fmul_rn(high - low, random_unit(seed, i));
    }
}

// t[i] = mean + std · Rng.normal(seed, i).
// grid: Launch.overElements(n), grid-stride; block: 256.
extern "C" __global__ void random_normal(float *t, long long n, long long seed, float mean, float std) {
    SIMIL_GRID_STRIDE(i, n) {
        t[i] = mean + __fmul_rn(std, random_standard_normal(seed, i));
    }
}

// t[i] = mean + std · z, z the first of Rng.normal(seed, i), Rng.normal(Rng.derive(seed, k), i) for k = 1, 2, ...
// with |z| <= 2.
// grid: Launch.overElements(n), grid-stride; block: 256.
extern "C" __global__ void random_truncated_normal(float *t, long long n, long long seed, float mean, float std) {
    SIMIL_GRID_STRIDE(i, n) {
        float z = random_standard_normal(seed, i);
        for (long long attempt = 1; fabsf(z) > 2.0f; attempt++) {
            long long derived = (long long) rng_bits(seed ^ 0x5DEECE66DLL, attempt); // Rng.derive(seed, attempt)
            z = random_standard_normal(derived, i);
        }
        t[i] = mean + __fmul_rn(std, z);
    }
}

// Inverted-dropout keep factors: mask[i] = 0 where Rng.uniform(seed, i) < p, else keep = 1 / (1 - p).
// grid: Launch.overElements(n), grid-stride; block: 256.
extern "C" __global__ void random_keep_mask(float *mask, long long n, long long seed, float p, float keep) {
    SIMIL_GRID_STRIDE(i, n) {
        mask[i] = random_unit(seed, i) < p ? 0.0f : keep;
    }
}
