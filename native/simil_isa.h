/*
 * One instruction set per compilation. native/build.sh compiles every kernel file three times, with
 * -DSIMIL_AVX512 and AVX-512 flags, with -DSIMIL_AVX2 and AVX2 + FMA flags, and for baseline x86-64 with
 * -DSIMIL_JNI; the three objects go into one library. Kernels are named PER_ISA(name), so each object
 * defines its own copy (name_avx512, name_avx2, name_generic), and the JNI entry points, compiled once,
 * pick one with DISPATCH from the ISA number Java passes in (simil.backend.cpu.Isa). Each kernel file
 * sets its own register blocking per ISA: 32 zmm registers on AVX-512, 16 ymm on AVX2, 16 xmm otherwise.
 */
#ifndef SIMIL_ISA_H
#define SIMIL_ISA_H

/* The numbers of simil.backend.cpu.Isa's constants. */
enum { ISA_GENERIC = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };

#if defined(SIMIL_AVX512)
#define ISA_SUFFIX avx512
#define VLEN 16
#elif defined(SIMIL_AVX2)
#define ISA_SUFFIX avx2
#define VLEN 8
#else
#define ISA_SUFFIX generic
#define VLEN 4
#endif

/* VLEN floats: one register of this ISA. aligned(4): loads and stores of it may be unaligned. */
typedef float vfloat __attribute__((vector_size(4 * VLEN), aligned(4)));

#define ISA_CAT2(a, b) a##_##b
#define ISA_CAT(a, b) ISA_CAT2(a, b)
/* This compilation's copy of a kernel (build.sh hides all but the JNI entry points). */
#define PER_ISA(name) ISA_CAT(name, ISA_SUFFIX)

/* Declares a kernel's three copies (for the JNI side) and calls the one for `isa`. */
#define DECLARE_PER_ISA(ret, name, params)                                                                  \
    ret name##_avx512 params;                                                                              \
    ret name##_avx2 params;                                                                                \
    ret name##_generic params
#define DISPATCH(isa, name, args) \
    ((isa) == ISA_AVX512 ? name##_avx512 args : (isa) == ISA_AVX2 ? name##_avx2 args : name##_generic args)

#endif
