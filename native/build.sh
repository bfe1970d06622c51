#!/usr/bin/env bash
# Builds the JNI bridge (native/simil_blas.c) into the directory given as $1; Maven calls this.
set -euo pipefail
out=$1
src=$(dirname "$0")/simil_blas.c
lib=$out/libsimil_blas.so
mkdir -p "$out"
[ "$lib" -nt "$src" ] && exit 0
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
cc -O2 -fPIC -shared -I"$jdk/include" -I"$jdk/include/linux" -o "$lib" "$src"
