"""Parity fixtures for `simil import-hf`: transformers' BEiT forward pass written out by hand.

transformers is not installed here, so this follows modeling_beit.py's semantics directly: patch embedding
(conv, kernel = stride = patch), CLS token, pre-LN layers (layernorm_before / layernorm_after), self-attention
with query and value biases but no key bias, scores / sqrt(head_dim) plus a relative position bias (per layer,
or one shared table) whose (2G-1)^2 part is resized with F.interpolate(bilinear) to the grid actually used,
layer scale lambda_1 / lambda_2 (absent when layer_scale_init_value is 0), exact GELU MLP, then the final norm.

Two random tiny checkpoints, each written as model.safetensors + config.json in transformers' key layout, and
io.safetensors with the input pixels and the expected outputs:
  beit_hf:        a BeitForMaskedImageModeling layout as the pt22k checkpoints have it (beit. prefix, mask token,
                  per-layer bias tables, top-level layernorm applied to every token, lm_head), F32, imported at
                  the checkpoint's own resolution; expected: the normalized last hidden states.
  beit_hf_shared: a BeitModel classification layout (no prefix, shared bias table, use_mean_pooling with
                  pooler.layernorm, no layer scale), F16 weights, imported at half the checkpoint's resolution
                  (bias table resized from a 4x4 to a 2x2 grid); expected: the last hidden states and the pooled output.
"""
import json
import os
import struct

import torch
import torch.nn.functional as F
from common import OUT, save, seeded, rand


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        data = t.detach().contiguous().to(torch.float16 if dtype == "F16" else torch.float32).numpy().tobytes()
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def relative_position_index(g):
    """transformers' generate_relative_position_index for a g x g window."""
    coords = torch.stack(torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij")).flatten(1)
    rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0).contiguous()
    rel[:, :, 0] += g - 1
    rel[:, :, 1] += g - 1
    rel[:, :, 0] *= 2 * g - 1
    n = (2 * g - 1) ** 2 + 3
    index = torch.zeros(g * g + 1, g * g + 1, dtype=torch.long)
    index[1:, 1:] = rel.sum(-1)
    index[0, 0:] = n - 3
    index[0:, 0] = n - 2
    index[0, 0] = n - 1
    return index


def relative_position_bias(table, trained_grid, grid):
    """BeitRelativePositionBias.forward: resize the (2G-1)^2 sub-table bilinearly, keep the 3 CLS rows, gather."""
    old, new = 2 * trained_grid - 1, 2 * grid - 1
    sub = table[: old * old].reshape(1, old, old, -1).permute(0, 3, 1, 2)
    sub = F.interpolate(sub, size=(new, new), mode="bilinear").permute(0, 2, 3, 1).reshape(new * new, -1)
    table = torch.cat([sub, table[old * old:]])
    t = grid * grid + 1
    return table[relative_position_index(grid).view(-1)].view(t, t, -1).permute(2, 0, 1)


def beit_forward(w, cfg, pixels, prefix, grid):
    d, heads, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    trained_grid = cfg["image_size"] // cfg["patch_size"]
    e = prefix + "embeddings."
    x = F.conv2d(pixels, w[e + "patch_embeddings.projection.weight"], w[e + "patch_embeddings.projection.bias"],
                 stride=cfg["patch_size"]).flatten(2).transpose(1, 2)
    b = x.shape[0]
    x = torch.cat([w[e + "cls_token"].expand(b, -1, -1), x], 1)
    t = x.shape[1]
    shared = None
    if cfg["use_shared_relative_position_bias"]:
        shared = relative_position_bias(w[prefix + "encoder.relative_position_bias.relative_position_bias_table"],
                                        trained_grid, grid)

    def ln(v, name):
        return F.layer_norm(v, (d,), w[name + ".weight"], w[name + ".bias"], eps)

    def lin(v, name, bias=True):
        return F.linear(v, w[name + ".weight"], w[name + ".bias"] if bias else None)

    for i in range(cfg["num_hidden_layers"]):
        l = f"{prefix}encoder.layer.{i}."
        a = l + "attention.attention."
        h = ln(x, l + "layernorm_before")
        q, k, v = lin(h, a + "query"), lin(h, a + "key", bias=False), lin(h, a + "value")
        q, k, v = (z.view(b, t, heads, d // heads).permute(0, 2, 1, 3) for z in (q, k, v))
        scores = q @ k.transpose(-1, -2) / (d // heads) ** 0.5
        if cfg["use_relative_position_bias"]:
            scores = scores + relative_position_bias(w[a + "relative_position_bias.relative_position_bias_table"],
                                                     trained_grid, grid)
        if shared is not None:
            scores = scores + shared
        context = (scores.softmax(-1) @ v).permute(0, 2, 1, 3).reshape(b, t, d)
        attn = lin(context, l + "attention.output.dense")
        x = x + (w[l + "lambda_1"] * attn if l + "lambda_1" in w else attn)
        h = lin(F.gelu(lin(ln(x, l + "layernorm_after"), l + "intermediate.dense")), l + "output.dense")
        x = x + (w[l + "lambda_2"] * h if l + "lambda_2" in w else h)
    return x, ln


def make_checkpoint(seed, cfg, prefix):
    g = seeded(seed)
    d, inter, p = cfg["hidden_size"], cfg["intermediate_size"], cfg["patch_size"]
    heads, grid = cfg["num_attention_heads"], cfg["image_size"] // cfg["patch_size"]
    table_rows = (2 * grid - 1) ** 2 + 3
    w = {}
    e = prefix + "embeddings."
    w[e + "cls_token"] = rand(g, 1, 1, d)
    if cfg["use_mask_token"]:
        w[e + "mask_token"] = rand(g, 1, 1, d)
    w[e + "patch_embeddings.projection.weight"] = rand(g, d, 3, p, p, scale=0.3)
    w[e + "patch_embeddings.projection.bias"] = rand(g, d, scale=0.1)
    if cfg["use_shared_relative_position_bias"]:
        w[prefix + "encoder.relative_position_bias.relative_position_bias_table"] = rand(g, table_rows, heads)
    for i in range(cfg["num_hidden_layers"]):
        l = f"{prefix}encoder.layer.{i}."
        a = l + "attention.attention."
        if cfg["layer_scale_init_value"] > 0:
            w[l + "lambda_1"] = rand(g, d)
            w[l + "lambda_2"] = rand(g, d)
        for norm in ("layernorm_before", "layernorm_after"):
            w[l + norm + ".weight"] = 1 + rand(g, d, scale=0.2)
            w[l + norm + ".bias"] = rand(g, d, scale=0.2)
        for name in ("query", "key", "value"):
            w[a + name + ".weight"] = rand(g, d, d, scale=0.4)
        w[a + "query.bias"] = rand(g, d, scale=0.2)
        w[a + "value.bias"] = rand(g, d, scale=0.2)
        if cfg["use_relative_position_bias"]:
            w[a + "relative_position_bias.relative_position_bias_table"] = rand(g, table_rows, heads)
        w[l + "attention.output.dense.weight"] = rand(g, d, d, scale=0.4)
        w[l + "attention.output.dense.bias"] = rand(g, d, scale=0.2)
        w[l + "intermediate.dense.weight"] = rand(g, inter, d, scale=0.4)
        w[l + "intermediate.dense.bias"] = rand(g, inter, scale=0.2)
        w[l + "output.dense.weight"] = rand(g, d, inter, scale=0.2)
        w[l + "output.dense.bias"] = rand(g, d, scale=0.2)
    return w, g


def tiny_config(**overrides):
    cfg = {"model_type": "beit", "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
           "intermediate_size": 64, "hidden_act": "gelu", "image_size": 16, "patch_size": 4, "num_channels": 3,
           "layer_norm_eps": 1e-12, "layer_scale_init_value": 0.1, "use_mask_token": True,
           "use_absolute_position_embeddings": False, "use_relative_position_bias": True,
           "use_shared_relative_position_bias": False, "use_mean_pooling": False, "vocab_size": 8192}
    cfg.update(overrides)
    return cfg


def write_case(name, cfg, w, dtype, io):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, "model.safetensors"), w, dtype)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    save(name + "/io", io, {"image_size": io["pixels"].shape[-1]})


# pt22k-like masked-image-modeling checkpoint at its own resolution.
cfg = tiny_config()
w, g = make_checkpoint(21, cfg, "beit.")
w["layernorm.weight"] = 1 + rand(g, 16, scale=0.2)
w["layernorm.bias"] = rand(g, 16, scale=0.2)
w["lm_head.weight"] = rand(g, 32, 16)
w["lm_head.bias"] = rand(g, 32)
pixels = rand(g, 2, 3, 16, 16)
with torch.no_grad():
    x, ln = beit_forward(w, cfg, pixels, "beit.", grid=4)
    hidden = F.layer_norm(x, (16,), w["layernorm.weight"], w["layernorm.bias"], cfg["layer_norm_eps"])
write_case("beit_hf", cfg, w, "F32", {"pixels": pixels, "hidden": hidden})

# Classification layout with a shared bias table, F16 weights, imported at an 8x8 input (2x2 grid).
cfg = tiny_config(use_relative_position_bias=False, use_shared_relative_position_bias=True, use_mask_token=False,
                  layer_scale_init_value=0.0, use_mean_pooling=True, layer_norm_eps=1e-6)
w, g = make_checkpoint(22, cfg, "")
w["pooler.layernorm.weight"] = 1 + rand(g, 16, scale=0.2)
w["pooler.layernorm.bias"] = rand(g, 16, scale=0.2)
w = {k: v.half().double() for k, v in w.items()}  # what the F16 file holds
pixels = rand(g, 2, 3, 8, 8)
with torch.no_grad():
    hidden, ln = beit_forward(w, cfg, pixels, "", grid=2)
    pooled = ln(hidden[:, 1:].mean(1), "pooler.layernorm")
write_case("beit_hf_shared", cfg, w, "F16", {"pixels": pixels, "hidden": hidden, "pooled": pooled})
