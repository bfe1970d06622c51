#!/usr/bin/env python3
"""PyTorch's BEiT-tiny self-attention forward+backward, the same block as Simil's MultiHeadSelfAttention
(and /work/shared/anchors/torch_beit_bench.py's Block): fused qkv without bias plus q/v biases, scaled
q k^T + relative position bias gathered from the table, softmax, probs @ v, output projection.
Prints one JSON line with the median milliseconds. Run: /usr/bin/python3 bench/torch_attention.py
"""
import argparse, json, time
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=2)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--reps", type=int, default=20)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
DIM, HEADS, G = 192, 3, 8
T = G * G + 1


def rel_index(g):
    """As in the BEiT anchor."""
    coords = torch.stack(torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (g - 1)
    idx = torch.zeros(g * g + 1, g * g + 1, dtype=torch.long)
    n_rel = (2 * g - 1) ** 2
    idx[1:, 1:] = rel[..., 0] * (2 * g - 1) + rel[..., 1]
    idx[0, :], idx[:, 0], idx[0, 0] = n_rel, n_rel + 1, n_rel + 2
    return idx, n_rel + 3


class Attention(nn.Module):
    def __init__(s, d, h):
        super().__init__()
        s.h = h
        s.qkv = nn.Linear(d, 3 * d, bias=False)
        s.q_bias, s.v_bias = nn.Parameter(0.02 * torch.randn(d)), nn.Parameter(0.02 * torch.randn(d))
        s.proj = nn.Linear(d, d)
        idx, n = rel_index(G)
        s.register_buffer("idx", idx)
        s.table = nn.Parameter(0.02 * torch.randn(n, h))

    def forward(s, x):
        B, T, D = x.shape
        qkv = F.linear(x, s.qkv.weight, torch.cat([s.q_bias, torch.zeros_like(s.v_bias), s.v_bias]))
        q, k, v = qkv.reshape(B, T, 3, s.h, D // s.h).permute(2, 0, 3, 1, 4)
        att = (q * (D // s.h) ** -0.5) @ k.transpose(-2, -1)
        att = att + s.table[s.idx.view(-1)].view(T, T, s.h).permute(2, 0, 1)
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        return s.proj(y)


m = Attention(DIM, HEADS)
x = torch.randn(a.batch, T, DIM, requires_grad=True)
dy = torch.randn(a.batch, T, DIM)
times = []
for i in range(5 + a.reps):
    t = time.perf_counter()
    m(x).backward(dy)
    if i >= 5:
        times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(json.dumps({"bench": "attention", "impl": "pytorch", "torch": torch.__version__, "threads": a.threads,
                  "batch": a.batch, "tokens": T, "dim": DIM, "heads": HEADS, "reps": a.reps,
                  "median_ms": round(times[len(times) // 2], 2), "min_ms": round(times[0], 2)}))
