#!/usr/bin/env bash
# simil search's speed: one query against a 100,000-image gallery, Simil (simil.bench.SearchBench: int8, fp32 and the
# naive concatenate-then-MLP way, in one JVM) and the PyTorch anchor (bench/torch_search.py: naive and split first
# layer) in the same run, 2 threads each, alternating; each side keeps its best round's medians. Then the simil
# search command itself, end to end (JVM start, model, a 100 MB embeddings file, the gallery's halves, the query),
# once. Writes the "## Search, ISA" section of bench/RESULTS.md.
# Usage: [SIMIL_ISA=avx2] bench/search_vs_torch.sh [rounds] [gallery]   (about 100 s of CPU for the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-1}
GALLERY=${2:-100000}
export OPENBLAS_NUM_THREADS=2
source tools/isa_env.sh
[[ -f target/simil.jar ]] || mvn -B -q -o -DskipTests package
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1 /proc/loadavg)
: > "$work/bench.jsonl"
for ((r = 1; r <= ROUNDS; r++)); do
    write=(); [[ $r == 1 ]] && write=(--write "$work/files")
    java -Xmx4g $SIMIL_ISA_JAVA_OPTS -cp target/simil.jar simil.bench.SearchBench --gallery "$GALLERY" --rounds 3 "${write[@]}" | tee -a "$work/bench.jsonl"
    /usr/bin/python3 bench/torch_search.py --threads 2 --gallery "$GALLERY" --rounds 2 | tee -a "$work/bench.jsonl"
done
start=$(date +%s.%N)
java -Xmx4g $SIMIL_ISA_JAVA_OPTS -Djava.awt.headless=true -jar target/simil.jar search --model "$work/files/model" \
    --gallery "$work/files/gallery.safetensors" --query "$work/files/query.png" --k 10 > "$work/search.out" 2> "$work/search.err"
end=$(date +%s.%N)
cat "$work/search.err"
/usr/bin/python3 - "$load_before" "$start" "$end" "$work/search.err" <<'PY' | bench/results_section.py "## Search, $SIMIL_ISA_LABEL"
import json, os, re, subprocess, sys
rows = [json.loads(l) for l in open(os.path.join(os.path.dirname(sys.argv[4]), "bench.jsonl"))]
ours = [r for r in rows if r.get("impl") == "simil"]
torch = [r for r in rows if r.get("anchor") == "pytorch"]
best = lambda rs, k: min(r[k] for r in rs)
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
isa = os.environ["SIMIL_ISA_LABEL"]
n = ours[0]["gallery"]
err = open(sys.argv[4]).read()
m = re.search(r"gallery of (\d+) images ready in ([\d.]+) s .*; 1 query searched in ([\d.]+) s", err)
wall = float(sys.argv[3]) - float(sys.argv[2])
print(f"## Search, {isa}\n")
print(f"One query against a gallery of {n:,} images, the 10 best, at the default recipe's shapes (MatchNet with batch norm, "
      "flip-averaged 256-float embeddings, a 1024-wide metric network scoring both orders; random weights and gallery "
      "embeddings: the time does not depend on them). A query is embedding its image (two tower passes) and searching the "
      f"gallery. Best of {len(ours)} alternating round(s) of each side's medians (of 3 queries for Simil, 2 for PyTorch), 2 threads each ({cpu}, {isa}: "
      f"{ours[0]['backend']}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}; 1-minute load average "
      f"{sys.argv[1]} at the start). PyTorch {torch[0]['torch']}, float32.\n")
print("| | seconds | ratio (other / Simil int8) |\n|---|---:|---:|")
q = best(ours, "query_s")
lines = [("**Simil, one query (embed + search, int8: `simil search`'s default)**", q),
         ("Simil: embedding the query", best(ours, "embed_query_s")),
         ("Simil: searching, int8 (split first layer, fused int8 kernel, top candidates rescored in fp32)", best(ours, "search_int8_s")),
         ("Simil: searching, fp32 (split first layer, sgemm)", best(ours, "search_fp32_s")),
         ("Simil: searching, naive (each pair concatenated, then the metric network)", best(ours, "search_naive_s")),
         ("PyTorch: one query, naive (embed + concatenated pairs)", best(torch, "query_naive_s")),
         ("PyTorch: one query, first layer split", best(torch, "query_split_s"))]
for label, s in lines:
    ratio = "" if s is q or label.startswith("Simil: embedding") or "int8 (split" in label else f"{s / q:.1f}×"
    print(f"| {label} | {s:.3f} | {ratio} |")
same = all(r["same_hits_as_naive"] for r in ours)
print(f"\nThe int8 search found the same 10 images, in the same order, as the naive exact one: {'yes' if same else 'NO'}. "
      f"The split first layer alone makes fp32 {best(ours, 'search_naive_s') / best(ours, 'search_fp32_s'):.1f}× faster than the "
      "naive way; the 1024×1024 second layer, once per pair and order, is most of what is left, and the int8 kernel makes "
      f"that {best(ours, 'search_fp32_s') / best(ours, 'search_int8_s'):.1f}× cheaper again.")
if m:
    print(f"\nThe command itself, `simil search --gallery gallery.safetensors --query query.png` (an embeddings file of "
          f"{int(m.group(1)):,} images written as `simil embed` writes them), once: {wall:.1f} s in all, of which "
          f"{float(m.group(2)):.2f} s reading the file and computing the gallery's halves of the first layer, and "
          f"{float(m.group(3)):.3f} s for the query (embedding and search), as the command reports it.")
print(f"\nReproduce: `{'SIMIL_ISA=' + os.environ['SIMIL_ISA'] + ' ' if os.environ.get('SIMIL_ISA') else ''}bench/search_vs_torch.sh` "
      "(Simil alone: `java -cp target/simil.jar simil.bench.SearchBench`).")
PY
