// simil.tensor.Rng on the device: the same counter-based generator (a SplitMix64 finalizer over seed and index), so
// a kernel draws the numbers the CPU draws for the same (seed, index). Included by the .cu files that draw.
#pragma once

// Rng.bits: 64 well-mixed bits for position `index` of stream `seed` (Java's long arithmetic wraps as unsigned does).
static __device__ __forceinline__ unsigned long long rng_bits(long long seed, long long index) {
    unsigned long long z = (unsigned long long) seed * 0x9E3779B97F4A7C15ULL
            + (unsigned long long) index * 0xD1B54A32D192ED03ULL + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
