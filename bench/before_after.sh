#!/usr/bin/env bash
# Speed before and after a change, in one run: the engine's MatchNet and BEiT-tiny benchmarks from two commits
# (each built from its own checkout) alternating with the PyTorch anchors, round by round, so that outside load
# hits all three alike. Each side keeps its best round; every figure is also given as a ratio to PyTorch in
# the same run. Prints a Markdown section on standard output.
# Usage: bench/before_after.sh BEFORE_COMMIT [AFTER_COMMIT (default: the working tree)] [rounds (default 3)]
#   [SIMIL_ISA=avx2] as elsewhere (tools/isa_env.sh). Needs Debian's PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$1 AFTER=${2:-} ROUNDS=${3:-3}
export OPENBLAS_NUM_THREADS=2
source tools/isa_env.sh
ANCHORS=${SIMIL_ANCHORS:-../shared/anchors}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/before" 2>/dev/null; git worktree remove --force "$work/after" 2>/dev/null; rm -rf "$work"' EXIT

jar_of() {  # commit, name -> path of its jar (the working tree when the commit is empty)
    if [[ -z $1 ]]; then mvn -B -q -o -DskipTests package >&2; echo "$PWD/target/simil.jar"; return; fi
    git worktree add --detach "$work/$2" "$1" >/dev/null 2>&1
    (cd "$work/$2" && mvn -B -q -o -DskipTests package >&2)
    echo "$work/$2/target/simil.jar"
}
before_jar=$(jar_of "$BEFORE" before)
after_jar=$(jar_of "$AFTER" after)

load_before=$(cut -d' ' -f1 /proc/loadavg)
: > "$work/rows.jsonl"
run() {  # label, command... -> one JSON line per output line, tagged
    "${@:2}" | while read -r line; do echo "{\"side\": \"$1\", \"row\": $line}"; done >> "$work/rows.jsonl"
}
for ((r = 1; r <= ROUNDS; r++)); do
    for side in before after; do
        jar=${side}_jar
        run "$side" java -Xmx8g $SIMIL_ISA_JAVA_OPTS -cp "${!jar}" simil.bench.MatchNetBench
        run "$side" java -Xmx6g $SIMIL_ISA_JAVA_OPTS -cp "${!jar}" simil.bench.BeitBench
    done
    run pytorch /usr/bin/python3 "$ANCHORS/torch_matchnet_bench.py" --threads 2
    run pytorch /usr/bin/python3 "$ANCHORS/torch_beit_bench.py" --threads 2
done

/usr/bin/python3 - "$work/rows.jsonl" "$load_before" "$BEFORE" "${AFTER:-working tree}" "$ROUNDS" <<'PY'
import json, os, subprocess, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
load, before, after, rounds = sys.argv[2:6]
def best(side, key):
    vals = [r["row"][key] for r in rows if r["side"] == side and key in r["row"]]
    return max(vals) if vals else None
measures = [("train_images_per_s", "MatchNet training, images/s (batch 32 pairs)", "train_images_per_s"),
            ("tower_infer_images_per_s", "MatchNet tower inference, images/s", "tower_infer_images_per_s"),
            ("metric_all_pairs_int8_per_s", "all ordered pairs of 1,000 embeddings, int8, pairs/s", "metric_all_pairs_per_s"),
            ("mim_images_per_s", "BEiT-tiny masked image modeling, images/s", "mim_images_per_s"),
            ("pair_pairs_per_s", "BEiT-tiny pair fine-tuning, pairs/s", "pair_pairs_per_s")]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
isa = os.environ["SIMIL_ISA_LABEL"]
print(f"Before `{before[:10]}`, after `{after[:10]}`; best of {rounds} alternating rounds, 2 threads each ({cpu}, {isa}, "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}; 1-minute load average {load} at the start).\n")
print("| measure | before | ratio to PyTorch | after | ratio to PyTorch | after / before | PyTorch |")
print("|---|---:|---:|---:|---:|---:|---:|")
for key, label, torch_key in measures:
    b, a, t = best("before", key), best("after", key), best("pytorch", torch_key)
    print(f"| {label} | {b:,.1f} | {b / t:.2f}× | {a:,.1f} | {a / t:.2f}× | {a / b:.2f}× | {t:,.1f} |")
PY
