"""Golden fixtures for Simil's own BEiT (simil.models.beit), in its parameter layout.

beit_pair: a tiny BeitEncoder + pair head (mean of patch tokens, pool_norm, head Linear + ReLU, MatchNet metric
network) over a batch of pairs, as shared/anchors/torch_beit_bench.py computes it (dropout 0, no stochastic
depth): logits, the mean BCE loss and every parameter's gradient ("grad." + name).
beit_encoder_masked: the same encoder with masked patches replaced by the mask token, its tokens and the
gradients for a given upstream gradient.
token_transpose: [B, M, N] -> [B, N, M] (the patch embedding's flatten(2).transpose(1, 2)) and its backward.
"""
import torch
import torch.nn.functional as F
from common import save, seeded, rand

IMAGE, PATCH, DIM, DEPTH, HEADS, MLP, EPS, BOTTLENECK, HIDDEN = 8, 4, 8, 2, 2, 4, 1e-6, 4, 6
GRID = IMAGE // PATCH


def rel_index(g):
    """Verbatim from the BEiT anchor."""
    coords = torch.stack(torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (g - 1)
    idx = torch.zeros(g * g + 1, g * g + 1, dtype=torch.long)
    n_rel = (2 * g - 1) ** 2
    idx[1:, 1:] = rel[..., 0] * (2 * g - 1) + rel[..., 1]
    idx[0, :], idx[:, 0], idx[0, 0] = n_rel, n_rel + 1, n_rel + 2
    return idx, n_rel + 3


def make_params(g):
    p = {"encoder.patch_embed.proj.weight": rand(g, DIM, 3, PATCH, PATCH, scale=0.3),
         "encoder.patch_embed.proj.bias": rand(g, DIM, scale=0.1),
         "encoder.cls_token": rand(g, DIM), "encoder.mask_token": rand(g, DIM)}
    table_rows = rel_index(GRID)[1]
    for i in range(DEPTH):
        b = f"encoder.blocks.{i}."
        p.update({b + "norm1.weight": 1 + rand(g, DIM, scale=0.2), b + "norm1.bias": rand(g, DIM, scale=0.2),
                  b + "attn.qkv.weight": rand(g, 3 * DIM, DIM, scale=0.4), b + "attn.q_bias": rand(g, DIM, scale=0.2),
                  b + "attn.v_bias": rand(g, DIM, scale=0.2),
                  b + "attn.relative_position_bias_table": rand(g, table_rows, HEADS),
                  b + "attn.proj.weight": rand(g, DIM, DIM, scale=0.4), b + "attn.proj.bias": rand(g, DIM, scale=0.2),
                  b + "gamma_1": rand(g, DIM),
                  b + "norm2.weight": 1 + rand(g, DIM, scale=0.2), b + "norm2.bias": rand(g, DIM, scale=0.2),
                  b + "mlp.fc1.weight": rand(g, MLP * DIM, DIM, scale=0.4), b + "mlp.fc1.bias": rand(g, MLP * DIM, scale=0.2),
                  b + "mlp.fc2.weight": rand(g, DIM, MLP * DIM, scale=0.2), b + "mlp.fc2.bias": rand(g, DIM, scale=0.2),
                  b + "gamma_2": rand(g, DIM)})
    p.update({"encoder.norm.weight": 1 + rand(g, DIM, scale=0.2), "encoder.norm.bias": rand(g, DIM, scale=0.2),
              "pool_norm.weight": 1 + rand(g, DIM, scale=0.2), "pool_norm.bias": rand(g, DIM, scale=0.2),
              "head.weight": rand(g, BOTTLENECK, DIM, scale=0.4), "head.bias": rand(g, BOTTLENECK, scale=0.2),
              "metric.fc1.weight": rand(g, HIDDEN, 2 * BOTTLENECK, scale=0.4), "metric.fc1.bias": rand(g, HIDDEN, scale=0.2),
              "metric.fc2.weight": rand(g, HIDDEN, HIDDEN, scale=0.4), "metric.fc2.bias": rand(g, HIDDEN, scale=0.2),
              "metric.fc3.weight": rand(g, 1, HIDDEN, scale=0.4), "metric.fc3.bias": rand(g, 1, scale=0.2)})
    return {k: v.requires_grad_() for k, v in p.items()}


def encode(p, x, mask=None):
    """The anchor's BEiT.encode followed by its final norm."""
    x = F.conv2d(x, p["encoder.patch_embed.proj.weight"], p["encoder.patch_embed.proj.bias"], stride=PATCH)
    x = x.flatten(2).transpose(1, 2)
    if mask is not None:
        w = mask.unsqueeze(-1).type_as(x)
        x = x * (1 - w) + p["encoder.mask_token"].expand(x.shape[0], x.shape[1], -1) * w
    x = torch.cat([p["encoder.cls_token"].expand(x.shape[0], 1, -1), x], 1)
    B, T, D = x.shape
    idx = rel_index(GRID)[0]
    for i in range(DEPTH):
        b = f"encoder.blocks.{i}."
        y = F.layer_norm(x, (D,), p[b + "norm1.weight"], p[b + "norm1.bias"], EPS)
        qkv = F.linear(y, p[b + "attn.qkv.weight"],
                       torch.cat([p[b + "attn.q_bias"], torch.zeros(D), p[b + "attn.v_bias"]]))
        q, k, v = qkv.reshape(B, T, 3, HEADS, D // HEADS).permute(2, 0, 3, 1, 4)
        att = (q * (D // HEADS) ** -0.5) @ k.transpose(-2, -1)
        att = att + p[b + "attn.relative_position_bias_table"][idx.view(-1)].view(T, T, HEADS).permute(2, 0, 1)
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        x = x + p[b + "gamma_1"] * F.linear(y, p[b + "attn.proj.weight"], p[b + "attn.proj.bias"])
        y = F.layer_norm(x, (D,), p[b + "norm2.weight"], p[b + "norm2.bias"], EPS)
        y = F.linear(F.gelu(F.linear(y, p[b + "mlp.fc1.weight"], p[b + "mlp.fc1.bias"])), p[b + "mlp.fc2.weight"], p[b + "mlp.fc2.bias"])
        x = x + p[b + "gamma_2"] * y
    return F.layer_norm(x, (D,), p["encoder.norm.weight"], p["encoder.norm.bias"], EPS)


def embed(p, x):
    pooled = F.layer_norm(encode(p, x)[:, 1:].mean(1), (DIM,), p["pool_norm.weight"], p["pool_norm.bias"], EPS)
    return F.relu(F.linear(pooled, p["head.weight"], p["head.bias"]))


def metric(p, a, b):
    h = F.relu(F.linear(torch.cat([a, b], 1), p["metric.fc1.weight"], p["metric.fc1.bias"]))
    h = F.relu(F.linear(h, p["metric.fc2.weight"], p["metric.fc2.bias"]))
    return F.linear(h, p["metric.fc3.weight"], p["metric.fc3.bias"]).squeeze(1)


meta = {"image_size": IMAGE, "patch_size": PATCH, "dim": DIM, "depth": DEPTH, "heads": HEADS, "mlp_ratio": MLP,
        "layer_norm_eps": EPS, "bottleneck": BOTTLENECK, "metric_hidden": HIDDEN}

g = seeded(31)
p = make_params(g)
pairs = 3
images = rand(g, 2 * pairs, 3, IMAGE, IMAGE)  # first images of the pairs, then the second ones (as PairPhase batches)
targets = torch.tensor([1.0, 0.0, 1.0])
e = embed(p, images)
logits = metric(p, e[:pairs], e[pairs:])
loss = F.binary_cross_entropy_with_logits(logits, targets)
loss.backward()
save("beit_pair", {**p, "images": images, "targets": targets, "logits": logits, "loss": loss.reshape(1),
                   **{"grad." + k: torch.zeros_like(v) if v.grad is None else v.grad for k, v in p.items()}},
     {**meta, "parameters": len(p)})  # the mask token is unused by the pair path: zero gradient

g = seeded(32)
p = {k: v for k, v in make_params(g).items() if k.startswith("encoder.")}
images = rand(g, 2, 3, IMAGE, IMAGE)
mask = torch.tensor([[1, 0, 0, 1], [0, 1, 1, 1]], dtype=torch.int32)
tokens = encode(p, images, mask)
d_tokens = rand(g, *tokens.shape)
tokens.backward(d_tokens)
save("beit_encoder_masked", {**p, "images": images, "mask": mask, "tokens": tokens, "dtokens": d_tokens,
                             **{"grad." + k: v.grad for k, v in p.items()}}, {**meta, "parameters": len(p)})

g = seeded(33)
x = rand(g, 2, 3, 5).requires_grad_()
y = x.transpose(1, 2)
dy = rand(g, *y.shape)
y.backward(dy)
save("token_transpose", {"x": x, "y": y, "dy": dy, "dx": x.grad})
