"""Golden fixtures for attention and the BEiT token plumbing.

attention_op: softmax(scale * q k^T + bias) v with its gradients; mhsa / mhsa_plain: BEiT's attention block
(fused qkv without bias, q/v biases, relative position bias table gathered by rel_index, output
projection) exactly as /work/shared/anchors/torch_beit_bench.py writes it; rel_index_g3: the index itself;
embedding, class_token, mask_tokens, mean_tokens, layer_scale: the small ops around the encoder.
"""
import torch
import torch.nn.functional as F
from common import save, seeded, rand


def rel_index(g):
    """Verbatim from the BEiT anchor: (G^2+1)^2 table rows, CLS entries last."""
    coords = torch.stack(torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (g - 1)
    idx = torch.zeros(g * g + 1, g * g + 1, dtype=torch.long)
    n_rel = (2 * g - 1) ** 2
    idx[1:, 1:] = rel[..., 0] * (2 * g - 1) + rel[..., 1]
    idx[0, :], idx[:, 0], idx[0, 0] = n_rel, n_rel + 1, n_rel + 2
    return idx, n_rel + 3


def params(*ts):
    return [t.requires_grad_() for t in ts]


# The attention op alone.
g = seeded(11)
B, H, T, Dh = 2, 2, 5, 3
q, k, v, bias = params(rand(g, B, H, T, Dh), rand(g, B, H, T, Dh), rand(g, B, H, T, Dh), rand(g, H, T, T))
scale = Dh ** -0.5
probs = (scale * q @ k.transpose(-2, -1) + bias).softmax(-1)
out = probs @ v
d_out = rand(g, *out.shape)
out.backward(d_out)
save("attention_op", {"q": q, "k": k, "v": v, "bias": bias, "probs": probs, "out": out, "dout": d_out,
                      "dq": q.grad, "dk": k.grad, "dv": v.grad, "dbias": bias.grad}, {"scale": repr(scale)})


def beit_attention(name, seed, batch, tokens, dim, heads, grid):
    """The anchor Block's attention half (after n1, before the layer scale)."""
    g = seeded(seed)
    x, w_qkv, q_bias, v_bias, w_proj, b_proj = params(
        rand(g, batch, tokens, dim), rand(g, 3 * dim, dim, scale=0.5), rand(g, dim), rand(g, dim),
        rand(g, dim, dim, scale=0.5), rand(g, dim))
    tensors = {"x": x, "qkv_weight": w_qkv, "q_bias": q_bias, "v_bias": v_bias, "proj_weight": w_proj,
               "proj_bias": b_proj}
    qkv = F.linear(x, w_qkv, torch.cat([q_bias, torch.zeros_like(v_bias), v_bias]))
    q, k, v = qkv.reshape(batch, tokens, 3, heads, dim // heads).permute(2, 0, 3, 1, 4)
    att = (q * (dim // heads) ** -0.5) @ k.transpose(-2, -1)
    if grid:
        idx, n = rel_index(grid)
        table = rand(g, n, heads).requires_grad_()
        tensors.update({"table": table, "index": idx})
        att = att + table[idx.view(-1)].view(tokens, tokens, heads).permute(2, 0, 1)
    y = (att.softmax(-1) @ v).transpose(1, 2).reshape(batch, tokens, dim)
    y = F.linear(y, w_proj, b_proj)
    dy = rand(g, *y.shape)
    y.backward(dy)
    grads = {"d" + key: t.grad for key, t in tensors.items() if t.dtype == torch.float64}
    save(name, {**tensors, "y": y, "dy": dy, **grads}, {"heads": heads, "grid": grid})


beit_attention("mhsa", 12, batch=2, tokens=5, dim=8, heads=2, grid=2)
beit_attention("mhsa_plain", 13, batch=2, tokens=4, dim=6, heads=3, grid=0)

save("rel_index_g3", {"index": rel_index(3)[0]}, {"table_size": rel_index(3)[1]})

# Embedding with repeated ids (their gradients add up).
g = seeded(14)
table = rand(g, 6, 4).requires_grad_()
ids = torch.tensor([[0, 5, 2], [2, 2, 4]])
y = F.embedding(ids, table)
dy = rand(g, *y.shape)
y.backward(dy)
save("embedding", {"table": table, "ids": ids, "y": y, "dy": dy, "dtable": table.grad})

# CLS token prepended as the anchor's BEiT.encode does.
g = seeded(15)
x, cls = params(rand(g, 2, 3, 4), rand(g, 1, 1, 4))
y = torch.cat([cls.expand(2, -1, -1), x], 1)
dy = rand(g, *y.shape)
y.backward(dy)
save("class_token", {"x": x, "cls": cls.view(4), "y": y, "dy": dy, "dx": x.grad, "dcls": cls.grad.view(4)})

# Mask tokens as the anchor's BEiT.encode blends them.
g = seeded(16)
x, mask_token = params(rand(g, 2, 4, 3), rand(g, 1, 1, 3))
mask = torch.tensor([[1, 0, 0, 1], [0, 1, 1, 1]], dtype=torch.bool)
w = mask.unsqueeze(-1).type_as(x)
y = x * (1 - w) + mask_token.expand(2, 4, -1) * w
dy = rand(g, *y.shape)
y.backward(dy)
save("mask_tokens", {"x": x, "mask": mask, "mask_token": mask_token.view(3), "y": y, "dy": dy, "dx": x.grad,
                     "dmask_token": mask_token.grad.view(3)})

# Mean of the patch tokens (CLS left out), as the anchor's BEiT.embed pools.
g = seeded(17)
x = rand(g, 2, 5, 3).requires_grad_()
y = x[:, 1:].mean(1)
dy = rand(g, *y.shape)
y.backward(dy)
save("mean_tokens", {"x": x, "y": y, "dy": dy, "dx": x.grad})

# Layer scale: the anchor's g1 * proj(y).
g = seeded(18)
x, gamma = params(rand(g, 2, 3, 4), rand(g, 4))
y = gamma * x
dy = rand(g, *y.shape)
y.backward(dy)
save("layer_scale", {"x": x, "gamma": gamma, "y": y, "dy": dy, "dx": x.grad, "dgamma": gamma.grad})
