#!/usr/bin/env bash
# Ours (simil.bench.ConvBench) against PyTorch (bench/torch_conv_stack.py) on the same machine in the same
# run, both on 2 threads: sgemm and MatchNet's conv stack (batch 64, 64x64, ReLU left out of both).
# Ours: OPENBLAS_NUM_THREADS=2; the conv runs chunks of images on the 2 Java threads, and an sgemm called
# inside such a parallel region runs single-threaded (two multi-threaded sgemms at once would fight over the
# cores). PyTorch: torch.set_num_threads(2), its own BLAS.
# Rounds alternate ours/PyTorch so that load from other processes hits both alike; each figure is the
# median over rounds of per-round medians. Prints markdown tables and rewrites the "sgemm", "MatchNet conv
# stack" and "MatchNet batch norm" sections of bench/RESULTS.md (other sections are kept).
#
# Usage: [SIMIL_ISA=avx2] bench/conv_vs_torch.sh [rounds] [steps]     (needs target/simil.jar: mvn -B -q -DskipTests package;
# SIMIL_ISA: see tools/isa_env.sh; each section's heading names the ISA)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
LOAD=$(cut -d' ' -f1 /proc/loadavg)
STEPS=${2:-10}
source tools/isa_env.sh
[ -f target/simil.jar ] || mvn -B -q -DskipTests package
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for round in $(seq "$ROUNDS"); do
    OPENBLAS_NUM_THREADS=2 java $SIMIL_ISA_JAVA_OPTS -cp target/simil.jar simil.bench.ConvBench "$STEPS" | sed 's/^{/{"who": "ours", /' >> "$TMP/results.jsonl"
    OMP_NUM_THREADS=2 /usr/bin/python3 bench/torch_conv_stack.py "$STEPS" | sed 's/^{/{"who": "torch", /' >> "$TMP/results.jsonl"
done
/usr/bin/python3 - "$TMP/results.jsonl" "$ROUNDS" "$STEPS" "$LOAD" <<'PY'
import collections, json, os, platform, statistics, subprocess, sys, torch

path, rounds, steps, load = sys.argv[1:5]
ms = collections.defaultdict(list)
flops = {}
for line in open(path):
    r = json.loads(line)
    ms[(r["who"], r["bench"], r["name"])].append(r["ms"])
    flops[(r["bench"], r["name"])] = r["gflops"] * r["ms"] * 1e6
names = list(dict.fromkeys((b, n) for (_, b, n) in ms))

def medians(bench, name):
    return statistics.median(ms[("ours", bench, name)]), statistics.median(ms[("torch", bench, name)])

def time_row(bench, name):
    ours, theirs = medians(bench, name)
    return f"| {name} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.2f}x |"

def row(bench, name):
    ours, theirs = medians(bench, name)
    return time_row(bench, name) + f" {flops[(bench, name)] / ours / 1e6:.1f} | {flops[(bench, name)] / theirs / 1e6:.1f} |"

head = ("| shape | ours ms | PyTorch ms | ratio (PyTorch time / ours) | ours GFLOP/s | PyTorch GFLOP/s |\n"
        "|---|---:|---:|---:|---:|---:|")
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
isa = os.environ["SIMIL_ISA_LABEL"]
prefix = "SIMIL_ISA=" + os.environ["SIMIL_ISA"] + " " if os.environ.get("SIMIL_ISA") else ""
setup = (f"Measured {rounds} rounds x {steps} steps (median of per-round medians), 2 threads each "
         f"(ours: OPENBLAS_NUM_THREADS=2; PyTorch: torch.set_num_threads(2)), {cpu}, {isa}, {platform.machine()}, "
         f"PyTorch {torch.__version__}; 1-minute load average {load} when the run began (other work on the "
         f"machine slows both sides and moves the ratio); OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}.\n"
         f"Reproduce: `mvn -B -q -DskipTests package && {prefix}bench/conv_vs_torch.sh {rounds} {steps}`\n")
sgemm = f"## sgemm, {isa}\n\nm x n x k, row-major, OpenBLAS through simil's zero-copy bridge vs torch.mm.\n\n" + setup + "\n" + head + "\n" + \
    "\n".join(row(b, n) for b, n in names if b == "sgemm") + "\n"
stack = (f"## MatchNet conv stack, {isa}\n\nBatch 64, 3x64x64: conv 7x7 3->24 p3, maxpool 3/2 p1, conv 5x5 24->64 p2, maxpool 3/2 p1, "
         "conv 3x3 64->96, 96->96, 96->64 (p1), maxpool 3/2 p1. ReLU is left out of both. Forward + backward "
         "(no input gradient for the first conv); GFLOP/s counts the convolutions only. Per-layer rows time one conv alone. "
         "Ours: a native direct convolution for conv1 (simil.backend.cpu.DirectConv), Winograd F(4x4,5x5) for conv2 and F(4x4,3x3) for conv3-5 (simil.backend.cpu.WinogradConv); "
         "GFLOP/s is the direct convolution's count over the time taken, so Winograd layers, which multiply 4-6x less, "
         "read above the machine's sgemm peak.\n\n"
         + setup + "\n" + head + "\n" + "\n".join(row(b, n) for b, n in names if b in ("stack", "layer")) + "\n")
norm = (f"## MatchNet batch norm, {isa}\n\nBatch norm in training mode, forward + backward, batch 64, at the shapes the default "
        "recipe's tower normalizes (after conv1, conv2, conv3-5). Ours: simil.backend.cpu.CpuNormOps over "
        "native/simil_batch_norm.c; PyTorch: nn.BatchNorm2d.\n\n" + setup + "\n"
        "| shape | ours ms | PyTorch ms | ratio (PyTorch time / ours) |\n|---|---:|---:|---:|\n"
        + "\n".join(time_row(b, n) for b, n in names if b == "norm") + "\n")
print(sgemm + "\n" + stack + "\n" + norm)
print("Per-round medians (ms), ours | PyTorch:")
for b, n in names:
    print(f"  {n}: {ms[('ours', b, n)]} | {ms[('torch', b, n)]}")

for heading, body in ((f"## sgemm, {isa}", sgemm), (f"## MatchNet conv stack, {isa}", stack), (f"## MatchNet batch norm, {isa}", norm)):
    subprocess.run(["bench/results_section.py", heading], input=body, text=True, check=True)
PY
