#!/usr/bin/env bash
# Builds the JNI libraries into the directory given as $1; Maven calls this.
#   libsimil_blas.so  - zero-copy bridge to OpenBLAS sgemm (native/simil_blas.c)
#   libsimil_winograd.so - tile transforms of Winograd convolution (native/simil_winograd.c), compiled for
#                       AVX-512 and baseline x86-64 side by side (target_clones)
#   libsimil_direct_conv.so - direct convolution for few input channels (native/simil_direct_conv.c),
#                       AVX-512 and baseline x86-64 side by side (target_clones)
#   libsimil_pool.so  - max-pooling backward (native/simil_pool.c)
#   libsimil_batch_norm.so - batch-norm statistics, normalization and backward (native/simil_batch_norm.c),
#                       AVX-512 and baseline x86-64 side by side (target_clones)
#   libsimil_pairs.so - fused int8 metric-network kernel (native/simil_pairs.c); its AVX-512 code is
#                       enabled per function by a target pragma and guarded by a runtime CPU check, so the
#                       library loads on any x86-64
set -euo pipefail
out=$1
dir=$(dirname "$0")
mkdir -p "$out"
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
build() { # source, library, compiler flags...
    local src=$dir/$1 lib=$out/$2
    shift 2
    [ "$lib" -nt "$src" ] && return 0
    cc "$@" -fPIC -shared -I"$jdk/include" -I"$jdk/include/linux" -o "$lib" "$src"
}
build simil_blas.c libsimil_blas.so -O2
build simil_pairs.c libsimil_pairs.so -O3
build simil_winograd.c libsimil_winograd.so -O3
build simil_pool.c libsimil_pool.so -O3
build simil_direct_conv.c libsimil_direct_conv.so -O3
build simil_batch_norm.c libsimil_batch_norm.so -O3 -fopenmp-simd
