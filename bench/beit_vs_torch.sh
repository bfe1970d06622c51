#!/usr/bin/env bash
# BEiT-tiny training throughput, Simil vs PyTorch on this machine in the same run, both on 2 threads: masked
# image modeling images/s (batch 64, 8×8 patches, vocabulary 8192, 40% masked) and pair fine-tuning pairs/s.
# Rounds alternate between the two so that load from elsewhere hits both alike; each side reports its best
# round. Writes the "## BEiT-tiny training, ISA" section of bench/RESULTS.md, leaving the other sections alone.
# Usage: [SIMIL_ISA=avx2] bench/beit_vs_torch.sh [rounds]   (SIMIL_CLASSPATH overrides target/simil.jar;
# SIMIL_ISA: see tools/isa_env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
export OPENBLAS_NUM_THREADS=2
source tools/isa_env.sh
CP=${SIMIL_CLASSPATH:-target/simil.jar}
if [[ -z "${SIMIL_CLASSPATH:-}" && ! -f target/simil.jar ]]; then mvn -B -q -o -DskipTests package; fi

load_before=$(cut -d' ' -f1 /proc/loadavg)
ours=() torch=()
for ((r = 1; r <= ROUNDS; r++)); do
    ours+=("$(java -Xmx6g $SIMIL_ISA_JAVA_OPTS -cp "$CP" simil.bench.BeitBench | tee /dev/stderr)")
    torch+=("$(/usr/bin/python3 ../shared/anchors/torch_beit_bench.py --threads 2 | tee /dev/stderr)")
done

/usr/bin/python3 - "$ROUNDS" "$load_before" "${ours[@]}" "${torch[@]}" <<'PY'
import json, os, subprocess, sys
rounds, load = int(sys.argv[1]), sys.argv[2]
lines = [json.loads(l) for l in sys.argv[3:]]
ours, torch = lines[:rounds], lines[rounds:]
best = lambda rows, key: max(r[key] for r in rows)
mo, mt = best(ours, "mim_images_per_s"), best(torch, "mim_images_per_s")
po, pt = best(ours, "pair_pairs_per_s"), best(torch, "pair_pairs_per_s")
print(f"MIM: simil {mo:.1f} img/s, pytorch {mt:.1f} img/s, ratio {mo / mt:.2f}x")
print(f"pairs: simil {po:.1f} pairs/s, pytorch {pt:.1f} pairs/s, ratio {po / pt:.2f}x")
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
isa = os.environ["SIMIL_ISA_LABEL"]
reproduce = ("SIMIL_ISA=" + os.environ["SIMIL_ISA"] + " " if os.environ.get("SIMIL_ISA") else "") + "bench/beit_vs_torch.sh"
section = f"""## BEiT-tiny training, {isa}

BEiT-tiny (dim 192, depth 12, 3 heads, 64×64 inputs in 8×8 patches), batch 64, 2 threads each ({cpu}, {isa}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}; 1-minute
load average {load} when the run began: other work on the machine slows both sides and moves the ratio).
Masked image modeling: 40% of patches replaced by the mask token, softmax over 8192 visual tokens on masked
positions only, AdamW. Pair fine-tuning: both images through the shared encoder, mean-pooled patch tokens,
bottleneck 256, metric network, BCE, AdamW. Mean of 5 steps after 2 warmup steps, best of {rounds} alternating rounds.
Tokens and masks are fixed inputs on both sides (the tokenizer's own cost is not in the figure).

| | MIM images/s | ratio | pair fine-tuning pairs/s | ratio |
|---|---:|---:|---:|---:|
| Simil | {mo:.1f} | {mo / mt:.2f}× | {po:.1f} | {po / pt:.2f}× |
| PyTorch | {mt:.1f} | 1.00× | {pt:.1f} | 1.00× |

Reproduce: `{reproduce}` (Simil alone: `java -cp target/simil.jar simil.bench.BeitBench`).
"""
subprocess.run(["bench/results_section.py", f"## BEiT-tiny training, {isa}"], input=section, text=True, check=True)
PY
