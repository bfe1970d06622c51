#!/usr/bin/env bash
# MatchNet speed, Simil vs the PyTorch anchor (shared/anchors/torch_matchnet_bench.py) in the same run,
# both on 2 threads, alternating rounds so that outside load hits both alike; each side keeps its best
# round. Writes the "## MatchNet (seed recipe shapes), ISA" section of bench/RESULTS.md.
# Usage: [SIMIL_ISA=avx2] bench/matchnet_vs_torch.sh [rounds]   (SIMIL_ISA: see tools/isa_env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
export OPENBLAS_NUM_THREADS=2
ANCHOR=${SIMIL_ANCHORS:-../shared/anchors}/torch_matchnet_bench.py
source tools/isa_env.sh
[[ -f target/simil.jar ]] || mvn -B -q -o -DskipTests package
load_before=$(cut -d' ' -f1 /proc/loadavg)
: > /tmp/matchnet_bench.jsonl
for ((r = 1; r <= ROUNDS; r++)); do
    java -Xmx8g $SIMIL_ISA_JAVA_OPTS -cp target/simil.jar simil.bench.MatchNetBench | tee -a /tmp/matchnet_bench.jsonl
    /usr/bin/python3 "$ANCHOR" --threads 2 | tee -a /tmp/matchnet_bench.jsonl
done
/usr/bin/python3 - "$load_before" <<'PY' | bench/results_section.py "## MatchNet (seed recipe shapes), $SIMIL_ISA_LABEL"
import json, os, subprocess, sys
rows = [json.loads(l) for l in open("/tmp/matchnet_bench.jsonl")]
ours = [r for r in rows if r.get("impl") == "simil"]
torch = [r for r in rows if r.get("anchor") == "pytorch"]
keys = [("train_images_per_s", "training images/s (batch 32 pairs, Adam, BCE)"),
        ("tower_infer_images_per_s", "tower inference images/s (batch 256)"),
        ("metric_all_pairs_per_s", "metric network, all ordered pairs of 1,000 embeddings, pairs/s"),
        ("metric_all_pairs_fp32_per_s", "the same in fp32 (sgemm), pairs/s"),
        ("metric_all_pairs_int8_per_s", "the same in int8 (fused kernel), pairs/s")]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
isa = os.environ["SIMIL_ISA_LABEL"]
print(f"## MatchNet (seed recipe shapes), {isa}\n")
print(f"Best of {len(ours)} alternating rounds each, 2 threads ({cpu}, {isa}: {ours[0]['backend']}; "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}; 1-minute load average {sys.argv[1]} at the start).")
print("PyTorch scores pairs the naive way (concatenate, then the MLP); Simil splits the first layer.\n")
print("| measure | Simil | PyTorch | ratio |\n|---|---:|---:|---:|")
for k, label in keys:
    # PyTorch has one naive pairs/s: every all-pairs row is compared with it.
    a, b = max(r[k] for r in ours), max(r[k if k in torch[0] else "metric_all_pairs_per_s"] for r in torch)
    print(f"| {label} | {a:,.0f} | {b:,.0f} | {a / b:.2f}× |")
print(f"\nPyTorch {torch[0]['torch']}. Reproduce: `{'SIMIL_ISA=' + os.environ['SIMIL_ISA'] + ' ' if os.environ.get('SIMIL_ISA') else ''}bench/matchnet_vs_torch.sh` "
      "(Simil alone: `java -cp target/simil.jar simil.bench.MatchNetBench`).")
PY
