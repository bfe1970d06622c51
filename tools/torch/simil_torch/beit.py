"""BEiT as a Simil pair model (simil.models.beit): the encoder, the mean of its patch tokens, pool_norm, the
head, and the metric network; parameter names as timm's BEiT under encoder.*."""

import math

import torch
from torch import nn

from .pair_model import SimilPairModel


def relative_position_index(grid):
    """[T, T] (T = G² + 1, CLS first): the bias-table row query i adds to key j (simil.layers.RelativePositionIndex)."""
    patches, span = grid * grid, 2 * grid - 1
    offsets = span * span
    index = torch.empty(patches + 1, patches + 1, dtype=torch.long)
    rows, cols = torch.arange(patches) // grid, torch.arange(patches) % grid
    d_row = rows[:, None] - rows[None, :] + grid - 1
    d_col = cols[:, None] - cols[None, :] + grid - 1
    index[1:, 1:] = d_row * span + d_col
    index[0, 1:] = offsets       # CLS query → patch key
    index[1:, 0] = offsets + 1   # patch query → CLS key
    index[0, 0] = offsets + 2    # CLS → CLS
    return index


class Attention(nn.Module):
    """softmax(q kᵀ / √Dh + relative position bias) v per head: a fused qkv projection without bias, q_bias and
    v_bias (no key bias), the relative position bias table, and the output projection."""

    def __init__(self, dim, heads, grid):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim))
        self.v_bias = nn.Parameter(torch.zeros(dim))
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * grid - 1) ** 2 + 3, heads))
        self.register_buffer("relative_position_index", relative_position_index(grid), persistent=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        batch, tokens, dim = x.shape
        bias = torch.cat([self.q_bias, torch.zeros_like(self.v_bias), self.v_bias])
        qkv = nn.functional.linear(x, self.qkv.weight, bias)
        q, k, v = qkv.reshape(batch, tokens, 3, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) * (1 / math.sqrt(dim // self.heads))
        relative = self.relative_position_bias_table[self.relative_position_index].permute(2, 0, 1)
        attended = torch.softmax(scores + relative, dim=-1) @ v
        return self.proj(attended.transpose(1, 2).reshape(batch, tokens, dim))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x)))


class Block(nn.Module):
    """x + γ1 ⊙ Attn(LN1(x)), then + γ2 ⊙ MLP(LN2(·)) (stochastic depth is off outside training)."""

    def __init__(self, dim, heads, grid, mlp_hidden, eps):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads, grid)
        self.gamma_1 = nn.Parameter(torch.ones(dim))
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_hidden)
        self.gamma_2 = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        x = x + self.gamma_1 * self.attn(self.norm1(x))
        return x + self.gamma_2 * self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, stride=patch)

    def forward(self, images):
        return self.proj(images).flatten(2).transpose(1, 2)


class BeitEncoder(nn.Module):
    """Patch embedding, a CLS token in front, the blocks, and the final norm when the config has one
    (mask_token is kept for masked image modeling and unused here). Images → tokens [N, 1 + G², D]."""

    def __init__(self, config):
        super().__init__()
        dim, grid = config["dim"], config["image_size"] // config["patch_size"]
        eps = config["layer_norm_eps"]
        self.patch_embed = PatchEmbed(dim, config["patch_size"])
        self.cls_token = nn.Parameter(torch.zeros(dim))
        self.mask_token = nn.Parameter(torch.zeros(dim))
        self.blocks = nn.ModuleList(Block(dim, config["heads"], grid, dim * config["mlp_ratio"], eps)
                                    for _ in range(config["depth"]))
        self.norm = nn.LayerNorm(dim, eps=eps) if config["final_norm"] else None

    def forward(self, images):
        x = self.patch_embed(images)
        x = torch.cat([self.cls_token.expand(x.shape[0], 1, -1), x], dim=1)
        for block in self.blocks:
            x = block(x)
        return self.norm(x) if self.norm is not None else x


class Beit(SimilPairModel):
    """A Simil BEiT pair model: encoder.*, pool_norm.*, head.* and metric.* as in its model.safetensors."""

    def __init__(self, config, pixel_mean, pixel_std):
        super().__init__("beit", config["bottleneck"], config["metric_hidden"], config["dropout"], False, False,
                         pixel_mean, pixel_std)
        self.encoder = BeitEncoder(config)
        self.pool_norm = nn.LayerNorm(config["dim"], eps=config["layer_norm_eps"])
        self.head = nn.Linear(config["dim"], config["bottleneck"])
        self.dropout = nn.Dropout(config["dropout"])

    def features(self, normalized):
        pooled = self.pool_norm(self.encoder(normalized)[:, 1:].mean(dim=1))
        return self.dropout(torch.relu(self.head(pooled)))
