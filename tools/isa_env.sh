# Sourced by ./simil and the benchmarks. SIMIL_ISA=avx2 (or generic) on a CPU that has more runs the
# whole engine as on a CPU without it: our kernels (Java reads SIMIL_ISA itself), OpenBLAS's kernels and
# the JIT's vector code, and, for the benchmarks, PyTorch's (ATen, oneDNN and its OpenBLAS). OpenBLAS and
# oneDNN read their settings from the environment the process starts with, so they are set here rather
# than from Java. Settings the user made win. Sets SIMIL_ISA_JAVA_OPTS for the JVM's command line.
SIMIL_ISA_JAVA_OPTS=
case "${SIMIL_ISA:-}" in
    avx2)
        export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
        export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX2} DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-AVX2}
        export ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-avx2}
        SIMIL_ISA_JAVA_OPTS=-XX:UseAVX=2 ;;
    generic)
        export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Prescott}
        export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-SSE41} DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-SSE41}
        export ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-default}
        SIMIL_ISA_JAVA_OPTS=-XX:UseAVX=0 ;;
esac

# The ISA the kernels run in, for benchmark headings: SIMIL_ISA, else the best this CPU runs; "avx2 on an
# AVX-512 CPU" says when it is a lower level forced on this machine rather than the machine's own.
simil_cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
simil_has() { for f in "$@"; do [[ $simil_cpu_flags == *" $f "* ]] || return 1; done; }
if simil_has avx512f avx512bw avx512vl avx512dq; then simil_best_isa=avx512
elif simil_has avx2 fma; then simil_best_isa=avx2
else simil_best_isa=generic; fi
SIMIL_ISA_LABEL=${SIMIL_ISA:-$simil_best_isa}
[ "$SIMIL_ISA_LABEL" = "$simil_best_isa" ] || SIMIL_ISA_LABEL="$SIMIL_ISA_LABEL on an ${simil_best_isa^^} CPU"
# OpenBLAS pinned by the environment rather than by SIMIL_ISA (some machines set it for everything).
[ -n "${SIMIL_ISA:-}" ] || [ -z "${OPENBLAS_CORETYPE:-}" ] || SIMIL_ISA_LABEL="$SIMIL_ISA_LABEL, OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE"
export SIMIL_ISA_LABEL
