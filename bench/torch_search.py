#!/usr/bin/env python3
"""PyTorch anchor for simil search (simil.bench.SearchBench), measured in the same run on the same machine.

Run: /usr/bin/python3 bench/torch_search.py [--threads 2] [--gallery 100000] [--rounds 5]

The same work at the default recipe's shapes: a MatchNet tower with batch norm (eval mode) embeds a query image as the
mean of the image's and its mirror's features, then the 10 best of a gallery of random 256-float embeddings by the
metric network's score averaged over both orders (symmetric), in float32. Two ways: the naive one (each pair
concatenated, then the MLP) and with the first layer split as Simil does (W_b.g and W_a.g precomputed per gallery
image, then per query relu(W_a.q + c + W_b.g) through the rest). Prints one JSON line of medians in seconds.
"""
import argparse, json, time
import torch, torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=2)
p.add_argument("--gallery", type=int, default=100_000)
p.add_argument("--rounds", type=int, default=5)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
F, H, K, CHUNK = 256, 1024, 10, 8192


def conv(i, o, k):
    return [nn.Conv2d(i, o, k, padding=k // 2), nn.BatchNorm2d(o), nn.ReLU()]


tower = nn.Sequential(*conv(3, 24, 7), nn.MaxPool2d(3, 2, 1), *conv(24, 64, 5), nn.MaxPool2d(3, 2, 1),
                      *conv(64, 96, 3), *conv(96, 96, 3), *conv(96, 64, 3), nn.MaxPool2d(3, 2, 1),
                      nn.Flatten(), nn.Linear(64 * 8 * 8, F), nn.ReLU()).eval()
fc1, fc2, fc3 = nn.Linear(2 * F, H), nn.Linear(H, H), nn.Linear(H, 1)
gallery = torch.randn(a.gallery, F).abs()
image = torch.rand(1, 3, 64, 64)


def embed(x):
    return (tower(x) + tower(torch.flip(x, dims=[3]))) / 2


def mlp(pairs):
    return fc3(torch.relu(fc2(torch.relu(fc1(pairs))))).squeeze(1)


def naive(q):
    scores = []
    for g in torch.split(gallery, CHUNK):
        qq = q.expand(g.shape[0], F)
        scores.append((mlp(torch.cat([qq, g], 1)) + mlp(torch.cat([g, qq], 1))) / 2)
    return torch.topk(torch.cat(scores), K).indices


w_a, w_b = fc1.weight[:, :F], fc1.weight[:, F:]
with torch.no_grad():
    first, second = gallery @ w_a.T + fc1.bias, gallery @ w_b.T  # the gallery's halves, once


def split(q):
    qa, qb = q @ w_a.T + fc1.bias, q @ w_b.T
    scores = []
    for s in range(0, a.gallery, CHUNK):
        forward = torch.relu(qa + second[s:s + CHUNK])
        backward = torch.relu(first[s:s + CHUNK] + qb)
        scores.append((fc3(torch.relu(fc2(forward))) + fc3(torch.relu(fc2(backward)))).squeeze(1) / 2)
    return torch.topk(torch.cat(scores), K).indices


times = {"embed": [], "naive": [], "split": []}
with torch.no_grad():
    for r in range(-1, a.rounds):  # round -1 warms up
        t0 = time.perf_counter()
        q = embed(image)
        t1 = time.perf_counter()
        best_naive = naive(q)
        t2 = time.perf_counter()
        best_split = split(q)
        t3 = time.perf_counter()
        if r >= 0:
            times["embed"].append(t1 - t0)
            times["naive"].append(t2 - t1)
            times["split"].append(t3 - t2)
med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
print(json.dumps({"anchor": "pytorch", "torch": torch.__version__, "threads": a.threads, "gallery": a.gallery, "k": K,
                  "embed_query_s": round(med["embed"], 4), "search_naive_s": round(med["naive"], 4),
                  "search_split_s": round(med["split"], 4),
                  "query_naive_s": round(med["embed"] + med["naive"], 4), "query_split_s": round(med["embed"] + med["split"], 4),
                  "same_hits": bool(torch.equal(best_naive, best_split))}))
