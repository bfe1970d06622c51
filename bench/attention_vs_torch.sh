#!/usr/bin/env bash
# BEiT-tiny self-attention forward+backward (batch 64, 65 tokens, dim 192, 3 heads, q/v biases, relative
# position bias): Simil vs PyTorch on this machine, in the same run, both on 2 threads. Rounds alternate
# between the two so that load from elsewhere hits both alike; each side reports its best round's median.
# Prints ours, PyTorch and the ratio (PyTorch ms / ours: above 1 means Simil is faster) and writes the
# "## Attention (BEiT-tiny), ISA" section of bench/RESULTS.md, leaving the file's other sections alone.
# Usage: [SIMIL_ISA=avx2] bench/attention_vs_torch.sh [rounds]   (SIMIL_CLASSPATH overrides target/simil.jar;
# SIMIL_ISA: see tools/isa_env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
export OPENBLAS_NUM_THREADS=2
source tools/isa_env.sh
CP=${SIMIL_CLASSPATH:-target/simil.jar}
if [[ -z "${SIMIL_CLASSPATH:-}" && ! -f target/simil.jar ]]; then mvn -B -q -o -DskipTests package; fi

load_before=$(cut -d' ' -f1 /proc/loadavg)
ours=() torch=()
for ((r = 1; r <= ROUNDS; r++)); do
    line=$(java $SIMIL_ISA_JAVA_OPTS -cp "$CP" simil.bench.AttentionBench)
    echo "$line"
    ours+=("$(sed -E 's/.*"median_ms": ([0-9.]+).*/\1/' <<<"$line")")
    line=$(/usr/bin/python3 bench/torch_attention.py --threads 2)
    echo "$line"
    torch+=("$(sed -E 's/.*"median_ms": ([0-9.]+).*/\1/' <<<"$line")")
done

/usr/bin/python3 - "${ours[*]}" "${torch[*]}" "$ROUNDS" "$load_before" <<'PY'
import os, subprocess, sys
ours, torch = min(map(float, sys.argv[1].split())), min(map(float, sys.argv[2].split()))
rounds, load = sys.argv[3], sys.argv[4]
ratio = torch / ours
print(f"simil {ours:.1f} ms, pytorch {torch:.1f} ms, ratio {ratio:.2f}x")
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
isa = os.environ["SIMIL_ISA_LABEL"]
reproduce = ("SIMIL_ISA=" + os.environ["SIMIL_ISA"] + " " if os.environ.get("SIMIL_ISA") else "") + "bench/attention_vs_torch.sh"
section = f"""## Attention (BEiT-tiny), {isa}

Self-attention forward+backward at BEiT-tiny shapes (batch 64, 8×8 patches + CLS = 65 tokens, dim 192,
3 heads): fused qkv projection with q/v biases, relative position bias, softmax, probs·v, output projection.
Median ms over 20 repetitions, best of {rounds} alternating rounds, 2 threads each ({cpu}, {isa}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}; 1-minute load
average {load} when the run began: other work on the machine slows both sides and moves the ratio).

| | ms | ratio (PyTorch ms / ours) |
|---|---:|---:|
| Simil | {ours:.1f} | {ratio:.2f}× |
| PyTorch | {torch:.1f} | 1.00× |

Reproduce: `{reproduce}` (Simil alone: `java -cp target/simil.jar simil.bench.AttentionBench`).
"""
subprocess.run(["bench/results_section.py", f"## Attention (BEiT-tiny), {isa}"], input=section, text=True, check=True)
PY
