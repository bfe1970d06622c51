#!/usr/bin/env bash
# Builds the JNI libraries into the directory given as $1; Maven calls this.
#   libsimil_blas.so        - zero-copy bridge to OpenBLAS sgemm (native/simil_blas.c)
#   libsimil_cpu.so         - which instruction sets this CPU runs (native/simil_cpu.c)
#   libsimil_winograd.so    - tile transforms of Winograd convolution (native/simil_winograd.c)
#   libsimil_direct_conv.so - direct convolution for few input channels (native/simil_direct_conv.c)
#   libsimil_pool.so        - max-pooling backward (native/simil_pool.c)
#   libsimil_batch_norm.so  - batch-norm statistics, normalization and backward (native/simil_batch_norm.c)
#   libsimil_pairs.so       - fused int8 metric-network kernel (native/simil_pairs.c)
#   libsimil_gelu.so        - the exact GELU, forward and backward (native/simil_gelu.c)
# Every kernel library holds three copies of its kernels, compiled for AVX-512, for AVX2 + FMA and for
# baseline x86-64 (see simil_isa.h); Java picks one per call (simil.backend.cpu.Isa), so each library
# loads on any x86-64 and only the JNI entry points are exported.
set -euo pipefail
out=$1
dir=$(dirname "$0")
mkdir -p "$out"
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
cflags=(-O3 -fPIC -fvisibility=hidden -I"$jdk/include" -I"$jdk/include/linux" -I"$dir")
avx512=(-DSIMIL_AVX512 -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx2 -mfma -mprefer-vector-width=512)
avx2=(-DSIMIL_AVX2 -mavx2 -mfma)
fresh() { # library, sources...: whether the library is newer than all of them
    local lib=$1 src
    shift
    [ -f "$lib" ] || return 1
    for src in "$@"; do [ "$lib" -nt "$src" ] || return 1; done
}
single() { # source, library, flags...: one compilation (no kernels per ISA)
    local src=$dir/$1 lib=$out/$2
    shift 2
    fresh "$lib" "$src" "$0" && return 0
    cc "${cflags[@]}" "$@" -shared -o "$lib" "$src"
}
per_isa() { # source, library, flags... (flags after -- apply to the AVX-512 copy only)
    local src=$dir/$1 lib=$out/$2 tmp
    shift 2
    local common=() extra512=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do common+=("$1"); shift; done
    [ $# -gt 0 ] && shift && extra512=("$@")
    fresh "$lib" "$src" "$dir/simil_isa.h" "$0" && return 0
    tmp=$(mktemp -d)
    cc "${cflags[@]}" "${common[@]}" "${avx512[@]}" "${extra512[@]}" -c -o "$tmp/avx512.o" "$src"
    cc "${cflags[@]}" "${common[@]}" "${avx2[@]}" -c -o "$tmp/avx2.o" "$src"
    cc "${cflags[@]}" "${common[@]}" -DSIMIL_JNI -c -o "$tmp/generic.o" "$src"
    cc -shared -o "$lib" "$tmp/generic.o" "$tmp/avx2.o" "$tmp/avx512.o"
    rm -rf "$tmp"
}
single simil_blas.c libsimil_blas.so
single simil_cpu.c libsimil_cpu.so
per_isa simil_pairs.c libsimil_pairs.so -- -mavx512vnni
per_isa simil_winograd.c libsimil_winograd.so
per_isa simil_pool.c libsimil_pool.so
per_isa simil_direct_conv.c libsimil_direct_conv.so
per_isa simil_batch_norm.c libsimil_batch_norm.so -fopenmp-simd
per_isa simil_gelu.c libsimil_gelu.so -fno-trapping-math
