// Kernels that test the host emulator (kernels/emulator/) on every CUDA feature our kernels may use: block
// reductions over __syncthreads, warp shuffles (also inside `if (warp == 0)`), dynamic shared memory, atomics,
// grid-stride loops, 3-D grids, and the barrier misuses the emulator must report. simil.backend.cuda.EmulatorTest
// runs them; on a GPU they are harmless, and nvcc compiling them checks that the feature set is CUDA's.
#include "simil_cuda.h"

// sums[r] = Σ x[r·n ..< (r+1)·n]: one block per row, blockDim.x a power of two ≤ 1024, no dynamic shared memory.
// A tree over static shared memory, with a __syncthreads between levels.
extern "C" __global__ void emulator_selftest_block_sum(const float* __restrict__ x, float* __restrict__ sums, int n) {
    __shared__ float partial[1024];
    const float* row = x + (long long) blockIdx.x * n;
    float s = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) s += row[i];
    partial[threadIdx.x] = s;
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
        __syncthreads();
        if ((int) threadIdx.x < half) partial[threadIdx.x] += partial[threadIdx.x + half];
    }
    if (threadIdx.x == 0) sums[blockIdx.x] = partial[0];
}

// sums[r] = Σ x[r·n ..], nonzero[r] = how many of them are not 0: one block per row, blockDim.x a multiple of 32,
// dynamic shared memory of (blockDim.x / 32) floats and as many ints. Each warp reduces by __shfl_xor_sync, then
// warp 0 alone reduces the warps' partials by __shfl_down_sync.
extern "C" __global__ void emulator_selftest_warp_sum(const float* __restrict__ x, float* __restrict__ sums,
                                                      int* __restrict__ nonzero, int n) {
    SIMIL_DYNAMIC_SHARED(float, shared);
    int warps = blockDim.x / 32, warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    float* warp_sums = shared;
    int* warp_counts = (int*) (shared + warps);
    const float* row = x + (long long) blockIdx.x * n;
    float s = 0.0f;
    int count = 0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        s += row[i];
        count += row[i] != 0.0f;
    }
    for (int offset = 16; offset > 0; offset /= 2) {
        s += __shfl_xor_sync(0xffffffff, s, offset);
        count += __shfl_xor_sync(0xffffffff, count, offset);
    }
    if (lane == 0) {
        warp_sums[warp] = s;
        warp_counts[warp] = count;
    }
    __syncthreads();
    if (warp == 0) {
        s = lane < warps ? warp_sums[lane] : 0.0f;
        count = lane < warps ? warp_counts[lane] : 0;
        for (int offset = 16; offset > 0; offset /= 2) {
            s += __shfl_down_sync(0xffffffff, s, offset);
            count += __shfl_down_sync(0xffffffff, count, offset);
        }
        if (lane == 0) {
            sums[blockIdx.x] = s;
            nonzero[blockIdx.x] = count;
        }
    }
}

// Each shuffle alone, any block of whole warps (1-D), out of 4 values per thread t (lane t % 32): t's value from
// the lane t ^ 5 by __shfl_xor_sync, from t + 3 by __shfl_down_sync (its own past the warp's end), and as ints
// from t ^ 17 and t + 31.
extern "C" __global__ void emulator_selftest_shuffles(float* __restrict__ out) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    float* mine = out + 4 * t;
    mine[0] = __shfl_xor_sync(0xffffffff, (float) t, 5);
    mine[1] = __shfl_down_sync(0xffffffff, (float) t, 3);
    mine[2] = (float) __shfl_xor_sync(0xffffffff, t, 17);
    mine[3] = (float) __shfl_down_sync(0xffffffff, t, 31);
}

// Over x[0 ..< n] (x ≥ 0) in a grid-stride loop, any 1-D geometry: *total += Σ x, *count += n,
// *indices += Σ i (64-bit), *max_bits = max of __float_as_int(x) (order-preserving for x ≥ 0); roundtrip[i] = x[i]
// through __float_as_int and back.
extern "C" __global__ void emulator_selftest_atomics(const float* __restrict__ x, int n, float* total, int* count,
                                                     unsigned long long* indices, int* max_bits, float* roundtrip) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        atomicAdd(total, x[i]);
        atomicAdd(count, 1);
        atomicAdd(indices, (unsigned long long) i);
        atomicMax(max_bits, __float_as_int(x[i]));
        roundtrip[i] = __int_as_float(__float_as_int(x[i]));
    }
}

// out[t] for every thread t of a 3-D grid of 3-D blocks (t numbered x fastest: thread, then block): its
// coordinates packed as threadIdx.x | y << 4 | z << 8 | blockIdx.x << 12 | y << 16 | z << 20 (each < 16).
extern "C" __global__ void emulator_selftest_index3d(int* __restrict__ out) {
    int thread = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    int block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
    int threads = blockDim.x * blockDim.y * blockDim.z;
    out[block * threads + thread] = threadIdx.x | threadIdx.y << 4 | threadIdx.z << 8 | blockIdx.x << 12 | blockIdx.y << 16
            | blockIdx.z << 20;
}

// Barriers used right and wrong, one block of 64 threads, out of 64 floats:
//   mode 0: threads 32.. return at once, the others meet at __syncthreads twice: out[t] = t + out[t ^ 1] (fine);
//   mode 1: odd lanes return before a shuffle that needs them (a deadlock);
//   mode 2: the two halves of warp 0 wait at different __syncthreads (divergent barriers);
//   mode 3: a shuffle with a partial mask (not supported).
extern "C" __global__ void emulator_selftest_barriers(float* __restrict__ out, int mode) {
    int t = threadIdx.x;
    if (mode == 0) {
        if (t >= 32) return;
        out[t] = (float) t;
        __syncthreads();
        float other = out[t ^ 1];
        __syncthreads();
        out[t] = t + other;
    } else if (mode == 1) {
        if (t % 2 == 1) return;
        out[t] = __shfl_xor_sync(0xffffffff, (float) t, 2);
    } else if (mode == 2) {
        if (t < 16) {
            __syncthreads();
            out[t] = 1.0f;
        } else {
            out[t] = 2.0f;
            __syncthreads();
            out[t] += 1.0f;
        }
    } else {
        out[t] = __shfl_down_sync(0x0000ffff, (float) t, 1);
    }
}

// What shared memory holds before a block writes it (garbage on a GPU; NaN in the emulator: static arrays at the
// start of each launch, dynamic ones at the start of each block): blocks of 64 threads, 256 bytes of dynamic
// shared memory, out of 128 floats per block: the static array's value, then the dynamic one's; then both written.
extern "C" __global__ void emulator_selftest_unwritten_shared(float* __restrict__ out) {
    __shared__ float unwritten[64];
    SIMIL_DYNAMIC_SHARED(float, dynamic);
    int t = threadIdx.x;
    out[128 * blockIdx.x + t] = unwritten[t];
    out[128 * blockIdx.x + 64 + t] = dynamic[t];
    __syncthreads();
    unwritten[t] = 1.0f;
    dynamic[t] = 2.0f;
}

// A race on purpose, one block of 64 threads, out of 64 floats: each thread writes its index to shared memory and
// reads its neighbour's without a __syncthreads between, so what it reads depends on the order threads run in.
extern "C" __global__ void emulator_selftest_race(float* __restrict__ out) {
    __shared__ float written[64];
    int t = threadIdx.x;
    written[t] = (float) t;
    out[t] = written[(t + 1) % 64];
}
