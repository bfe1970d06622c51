#!/usr/bin/env python3
"""PyTorch's figures for the shapes simil.bench.ConvBench measures: MatchNet's conv stack (5 convs and
3 max pools, batch 64, 64x64 RGB, ReLU left out as in ConvBench) and each conv alone, plus sgemm and batch
norm (training mode, forward + backward) at the shapes the default recipe's tower normalizes.
Prints the same JSON lines as ConvBench: {"bench", "name", "ms" (median), "gflops"}.

Run: /usr/bin/python3 bench/torch_conv_stack.py [steps]   (Debian's python3-torch; 2 threads)
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
torch.manual_seed(0)
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
BATCH = 64
CONV_FORWARD_FLOPS = [
    2.0 * BATCH * 24 * 3 * 49 * 64 * 64,
    2.0 * BATCH * 64 * 24 * 25 * 32 * 32,
    2.0 * BATCH * 96 * 64 * 9 * 16 * 16,
    2.0 * BATCH * 96 * 96 * 9 * 16 * 16,
    2.0 * BATCH * 64 * 96 * 9 * 16 * 16,
]


def median_ms(steps, body):
    for _ in range(3):
        body()
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        body()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def report(bench, name, ms, flops):
    print(json.dumps({"bench": bench, "name": name, "ms": round(ms, 3), "gflops": round(flops / ms / 1e6, 1)}), flush=True)


def sgemm(m, n, k):
    a, b = torch.randn(m, k), torch.randn(k, n)
    report("sgemm", f"{m}x{n}x{k}", median_ms(STEPS * 5, lambda: torch.mm(a, b)), 2.0 * m * n * k)


stack = nn.Sequential(
    nn.Conv2d(3, 24, 7, padding=3), nn.MaxPool2d(3, 2, 1),
    nn.Conv2d(24, 64, 5, padding=2), nn.MaxPool2d(3, 2, 1),
    nn.Conv2d(64, 96, 3, padding=1),
    nn.Conv2d(96, 96, 3, padding=1),
    nn.Conv2d(96, 64, 3, padding=1), nn.MaxPool2d(3, 2, 1))


def main():
    sgemm(1024, 1024, 1024)
    sgemm(64, 1024, 600)
    sgemm(96, 256, 864)
    sgemm(600, 1024, 64)

    x = torch.randn(BATCH, 3, 64, 64)  # the images need no gradient, as in ConvBench
    dy = torch.randn(BATCH, 64, 8, 8)
    forward = sum(CONV_FORWARD_FLOPS)

    def step():
        stack(x).backward(dy)

    report("stack", "matchnet_conv_stack_fwd_bwd", median_ms(STEPS, step), 3 * forward - CONV_FORWARD_FLOPS[0])
    with torch.no_grad():
        report("stack", "matchnet_conv_stack_fwd", median_ms(STEPS, lambda: stack(x)), forward)

    inputs, t = [], x
    with torch.no_grad():
        for layer in stack:
            inputs.append(t)
            t = layer(t)
    convs = [(l, i) for i, l in enumerate(stack) if isinstance(l, nn.Conv2d)]
    for n, (layer, i) in enumerate(convs):
        inp = inputs[i].clone().requires_grad_(n > 0)
        with torch.no_grad():
            ldy = torch.randn_like(layer(inp))
        name = f"conv{n + 1}"
        with torch.no_grad():
            report("layer", name + "_fwd", median_ms(STEPS, lambda: layer(inp)), CONV_FORWARD_FLOPS[n])
        report("layer", name + "_fwd_bwd", median_ms(STEPS, lambda: layer(inp).backward(ldy)),
               (2 if n == 0 else 3) * CONV_FORWARD_FLOPS[n])

    for channels, size in ((24, 64), (64, 32), (96, 16)):
        bn = nn.BatchNorm2d(channels)
        bx = torch.randn(BATCH, channels, size, size, requires_grad=True)
        bdy = torch.randn(BATCH, channels, size, size)
        report("norm", f"batchnorm_{channels}x{size}x{size}_fwd_bwd", median_ms(STEPS, lambda: bn(bx).backward(bdy)), 0)


main()
