// What the emulator's parts share: the kernel table (generated from kernels/*.cu by trampolines.cpp), launches
// (launch.cpp), and the reference cuBLAS/cuDNN calls (reference.cpp); jni.cpp exposes them to simil.backend.cuda.EmulatedGpu.
#pragma once
#include <stddef.h>
#include <string>

// Calls one kernel with its arguments read from 8-byte slots (simil.backend.cuda.KernelArgs).
typedef void (*simil_emu_trampoline)(const unsigned char* slots);

struct simil_emu_kernel {
    const char* name;
    simil_emu_trampoline call;
    // One letter per parameter: p pointer, i int, l long long, f float.
    const char* params;
};

extern const simil_emu_kernel simil_emu_kernels[];
extern const int simil_emu_kernel_count;

struct simil_emu_launch {
    unsigned int grid[3], block[3];
    size_t shared_bytes;
    bool reverse;  // blocks and the threads of a block in reverse order of their index
};

// Checks the geometry as CUDA does; an empty string when it may run, else why not.
std::string simil_emu_check_launch(const simil_emu_kernel& kernel, const simil_emu_launch& launch);

// Runs every block of the launch; an empty string, or what went wrong (a deadlock, a misused shuffle).
std::string simil_emu_run(const simil_emu_kernel& kernel, const simil_emu_launch& launch, const unsigned char* slots);

// cuBLAS's sgemmStridedBatched, column-major.
void simil_emu_gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                    long long stride_a, const float* b, int ldb, long long stride_b, float beta, float* c, int ldc,
                    long long stride_c, int batch);

// cuDNN's convolutions over NCHW, cross-correlation, square stride and padding (simil.tensor.ConvOps.Conv2dShape).
struct simil_emu_conv {
    int batch, in_channels, height, width, out_channels, kernel_h, kernel_w, stride, padding, out_height, out_width;
};
void simil_emu_conv_forward(const simil_emu_conv& s, const float* x, const float* w, float* y);
void simil_emu_conv_backward_data(const simil_emu_conv& s, const float* dy, const float* w, float* dx);
void simil_emu_conv_backward_filter(const simil_emu_conv& s, const float* x, const float* dy, float beta, float* dw);
