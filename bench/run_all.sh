#!/usr/bin/env bash
# Every benchmark against its PyTorch anchor, one after another, refreshing bench/RESULTS.md: on this CPU's
# own ISA with OpenBLAS choosing its kernels itself, and, on an AVX-512 CPU, again as an AVX2 CPU would run
# (SIMIL_ISA=avx2, tools/isa_env.sh). Run it on an otherwise idle machine: each figure is a ratio measured
# in the same run, but other load still adds noise. Needs Debian's PyTorch
# (apt-get install -y python3-torch libopenblas0-pthread).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
suite() {
    bench/conv_vs_torch.sh 2 5
    bench/attention_vs_torch.sh 2
    bench/matchnet_vs_torch.sh 3
    bench/beit_vs_torch.sh 2
    bench/search_vs_torch.sh 2
}
(unset OPENBLAS_CORETYPE SIMIL_ISA; suite)
if grep -qw avx512f /proc/cpuinfo; then (unset OPENBLAS_CORETYPE; export SIMIL_ISA=avx2; suite); fi
