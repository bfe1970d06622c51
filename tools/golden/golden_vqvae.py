"""Golden fixture for the patch-level VQ-VAE tokenizer: one forward and backward.

Encoder Linear-GELU-Linear, nearest-codebook quantization, decoder Linear-GELU-Linear; loss =
mse(x_hat, x) + mse(e, sg(z)) + beta * mse(z, sg(e)); the straight-through estimator as z + sg(e - z).
"""
import torch
import torch.nn.functional as F
from common import save, seeded, rand

IN, HIDDEN, CODE, VOCAB, N, BETA = 12, 10, 4, 6, 9, 0.25
g = seeded(5)
x = rand(g, N, IN)
p = {
    "encoder.fc1.weight": rand(g, HIDDEN, IN, scale=0.5), "encoder.fc1.bias": rand(g, HIDDEN, scale=0.1),
    "encoder.fc2.weight": rand(g, CODE, HIDDEN, scale=0.5), "encoder.fc2.bias": rand(g, CODE, scale=0.1),
    "quantizer.codebook": rand(g, VOCAB, CODE),
    "decoder.fc1.weight": rand(g, HIDDEN, CODE, scale=0.5), "decoder.fc1.bias": rand(g, HIDDEN, scale=0.1),
    "decoder.fc2.weight": rand(g, IN, HIDDEN, scale=0.5), "decoder.fc2.bias": rand(g, IN, scale=0.1),
}
for t in p.values():
    t.requires_grad_()
z = F.linear(F.gelu(F.linear(x, p["encoder.fc1.weight"], p["encoder.fc1.bias"])), p["encoder.fc2.weight"], p["encoder.fc2.bias"])
e = p["quantizer.codebook"]
codes = torch.cdist(z.detach(), e.detach()).argmin(1)
zq = e[codes]
st = z + (zq - z).detach()
x_hat = F.linear(F.gelu(F.linear(st, p["decoder.fc1.weight"], p["decoder.fc1.bias"])), p["decoder.fc2.weight"], p["decoder.fc2.bias"])
recon = F.mse_loss(x_hat, x)
quant = F.mse_loss(zq, z.detach()) + BETA * F.mse_loss(z, zq.detach())
(recon + quant).backward()
out = {"x": x, "z": z, "codes": codes, "x_hat": x_hat, "recon": recon.reshape(1), "loss": (recon + quant).reshape(1)}
for k, t in p.items():
    out[k] = t
    out["d." + k] = t.grad
save("vqvae", out, {"in": IN, "hidden": HIDDEN, "code_dim": CODE, "vocabulary": VOCAB, "beta": BETA})
