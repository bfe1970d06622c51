#!/usr/bin/env bash
# Builds the host emulator of our CUDA kernels into $1/libsimil_cuda_emulator.so: every kernels/*.cu compiled as
# C++ against cuda_host.h (g++ -DSIMIL_CUDA_EMULATOR), the fiber scheduler (launch.cpp), the cuBLAS/cuDNN
# stand-ins (reference.cpp), the JNI entry points (jni.cpp) and the kernel table that trampolines.cpp generates.
# Objects are kept in $2 (default: a temporary folder), and only what changed is rebuilt.
set -euo pipefail
out=$1
dir=$(cd "$(dirname "$0")" && pwd)
kernels=$(dirname "$dir")
obj=${2:-$(mktemp -d)}
mkdir -p "$out" "$obj"
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
# __FILE__ relative to the project (kernels/x.cu), as the emulator's messages name a __syncthreads by it.
flags=(-O2 -std=c++17 -fPIC -fvisibility=hidden -DSIMIL_CUDA_EMULATOR -fmacro-prefix-map="$(dirname "$kernels")/="
       -I"$kernels" -I"$jdk/include" -I"$jdk/include/linux")
headers=("$kernels/simil_cuda.h" "$dir/cuda_host.h" "$dir/emulator.h" "$0")
fresh() { # target, sources...: whether the target is newer than all of them
    local target=$1 src
    shift
    [ -f "$target" ] || return 1
    for src in "$@"; do [ "$target" -nt "$src" ] || return 1; done
}
compile() { # source, object, extra flags...
    local src=$1 o=$2
    shift 2
    fresh "$o" "$src" "${headers[@]}" && return 0
    g++ "${flags[@]}" "$@" -c -o "$o" "$src"
}
shopt -s nullglob
sources=("$kernels"/*.cu)
objects=()
for cu in "${sources[@]}"; do
    o=$obj/$(basename "$cu" .cu).o
    compile "$cu" "$o" -x c++
    objects+=("$o")
done
for part in launch reference jni; do
    compile "$dir/$part.cpp" "$obj/$part.o"
    objects+=("$obj/$part.o")
done
fresh "$obj/trampolines" "$dir/trampolines.cpp" || g++ -O1 -std=c++17 -o "$obj/trampolines" "$dir/trampolines.cpp"
"$obj/trampolines" "$obj/table.cpp.new" "${sources[@]}"
if cmp -s "$obj/table.cpp.new" "$obj/table.cpp"; then rm "$obj/table.cpp.new"; else mv "$obj/table.cpp.new" "$obj/table.cpp"; fi
compile "$obj/table.cpp" "$obj/table.o"
objects+=("$obj/table.o")
lib=$out/libsimil_cuda_emulator.so
fresh "$lib" "${objects[@]}" || g++ -shared -o "$lib" "${objects[@]}"
if [ -z "${2:-}" ]; then rm -rf "$obj"; fi
