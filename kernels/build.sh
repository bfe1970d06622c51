#!/usr/bin/env bash
# Builds our CUDA kernels (kernels/*.cu) two ways, into the class-path root given as $1; Maven calls this.
#   simil/kernels/simil.fatbin  - the kernels for the GPU, by nvcc (skipped with a warning where nvcc is missing)
#   native/linux-x86_64/libsimil_cuda_emulator.so - the same kernels compiled for the host with our emulator
#                                 (kernels/emulator/), so the CUDA backend's every op is tested without a GPU
set -euo pipefail
out=$1
dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/simil/kernels" "$out/native/linux-x86_64"
if [ -x "$dir/emulator/build.sh" ]; then
    "$dir/emulator/build.sh" "$out/native/linux-x86_64" "$out/../kernels-emulator"
fi
