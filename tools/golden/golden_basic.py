"""Golden fixtures for activations, dropout, softmax, normalizations, losses, Adam/AdamW, gradient clipping
and the warmup-cosine schedule (the ops the Java tests in simil.layers and simil.optim check)."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from common import save, seeded, rand

MASK64 = (1 << 64) - 1


def forward_backward(fn, inputs, g):
    """Runs fn on inputs (which get gradients) and back-propagates a random dy; returns y, dy, grads."""
    for t in inputs:
        t.requires_grad_()
    y = fn(*inputs)
    dy = rand(g, *y.shape)
    y.backward(dy)
    return y, dy, [t.grad for t in inputs]


def pointwise():
    g = seeded(10)
    x = rand(g, 4, 9, scale=3.0)
    x = torch.where(x.abs() < 0.05, x + 0.1, x)  # away from ReLU's kink
    y, dy, (dx,) = forward_backward(F.relu, [x], g)
    save("relu", {"x": x, "y": y, "dy": dy, "dx": dx})

    g = seeded(11)
    x = torch.cat([rand(g, 60, scale=6.0), torch.tensor([-12.0, -8.5, -5.0, -3.1, 0.0, 1e-4, 3.3, 9.0])])
    y, dy, (dx,) = forward_backward(lambda t: F.gelu(t), [x.reshape(4, 17)], g)
    save("gelu", {"x": x.reshape(4, 17), "y": y, "dy": dy, "dx": dx})

    g = seeded(12)
    x = rand(g, 5, 11, scale=4.0)
    x[3] += 300.0  # large logits: only max-subtraction keeps exp finite
    y, dy, (dx,) = forward_backward(lambda t: torch.softmax(t, dim=-1), [x], g)
    save("softmax", {"x": x, "y": y, "dy": dy, "dx": dx})


def rng_uniform(seed, index):
    """simil.tensor.Rng.uniform in exact integer arithmetic (Java longs wrap modulo 2^64)."""
    z = (seed * 0x9E3779B97F4A7C15 + index * 0xD1B54A32D192ED03 + 0x632BE59BD9B4E019) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    z ^= z >> 31
    return (z >> 40) * 2.0 ** -24


def dropout():
    """Our counter-based mask, reproduced here, applied by PyTorch: checks the mask function end to end."""
    g = seeded(13)
    p, seed = 0.3, 1234
    x = rand(g, 8, 16)
    keep = 1.0 / (1.0 - float(np.float32(p)))
    mask = torch.tensor([0.0 if rng_uniform(seed, i) < float(np.float32(p)) else keep for i in range(x.numel())])
    mask = mask.reshape(x.shape)
    y, dy, (dx,) = forward_backward(lambda t: t * mask, [x], g)
    save("dropout", {"x": x, "mask": mask, "y": y, "dy": dy, "dx": dx}, {"p": p, "seed": seed})


def batchnorm():
    momentum, eps = 0.1, 1e-5
    for name, shape in (("batchnorm2d_train", (4, 3, 5, 5)), ("batchnorm1d", (6, 4))):
        g = seeded(14 if name.endswith("train") else 15)
        c = shape[1]
        x = rand(g, *shape, scale=2.0) + torch.linspace(-1, 2, c).reshape((1, c) + (1,) * (len(shape) - 2))
        w, b = rand(g, c) + 1.0, rand(g, c)
        running_mean, running_var = rand(g, c), rand(g, c).abs() + 0.5
        tensors = {"x": x.clone(), "weight": w.clone(), "bias": b.clone(),
                   "running_mean": running_mean.clone(), "running_var": running_var.clone()}
        y, dy, (dx, dw, db) = forward_backward(
            lambda t, ww, bb: F.batch_norm(t, running_mean, running_var, ww, bb, True, momentum, eps), [x, w, b], g)
        tensors.update({"y": y, "dy": dy, "dx": dx, "dweight": dw, "dbias": db,
                        "running_mean_after": running_mean, "running_var_after": running_var})
        save(name, tensors, {"momentum": momentum, "eps": eps})

    g = seeded(16)
    x = rand(g, 3, 4, 2, 3, scale=2.0)
    w, b = rand(g, 4) + 1.0, rand(g, 4)
    running_mean, running_var = rand(g, 4), rand(g, 4).abs() + 0.5
    y = F.batch_norm(x, running_mean, running_var, w, b, False, momentum, eps)
    save("batchnorm2d_eval", {"x": x, "weight": w, "bias": b, "running_mean": running_mean,
                              "running_var": running_var, "y": y}, {"eps": eps})


def layernorm():
    for name, eps, seed in (("layernorm", 1e-5, 17), ("layernorm_eps12", 1e-12, 18)):
        g = seeded(seed)
        x = rand(g, 2, 3, 8, scale=2.0) + 0.5
        w, b = rand(g, 8) + 1.0, rand(g, 8)
        y, dy, (dx, dw, db) = forward_backward(lambda t, ww, bb: F.layer_norm(t, (8,), ww, bb, eps), [x, w, b], g)
        save(name, {"x": x, "weight": w, "bias": b, "y": y, "dy": dy, "dx": dx, "dweight": dw, "dbias": db},
             {"eps": eps})


def losses():
    g = seeded(19)
    logits = torch.cat([rand(g, 14, scale=4.0), torch.tensor([35.0, -35.0, 90.0, -90.0, 500.0, -500.0])]).reshape(4, 5)
    targets = torch.cat([torch.rand(10, generator=g), (torch.rand(10, generator=g) > 0.5).double()]).reshape(4, 5)
    logits.requires_grad_()
    loss = F.binary_cross_entropy_with_logits(logits, targets)
    loss.backward()
    save("bce_with_logits", {"logits": logits, "targets": targets, "loss": loss.reshape(1), "dlogits": logits.grad})

    g = seeded(20)
    n, v, smoothing = 6, 7, 0.1
    logits = rand(g, n, v, scale=3.0)
    logits[2] += 200.0
    targets = torch.randint(0, v, (n,), generator=g)
    mask = torch.tensor([1, 1, 0, 1, 0, 1])
    stored_targets = torch.where(mask.bool(), targets, torch.full_like(targets, -100))  # ignored rows are never read
    tensors = {"logits": logits, "targets": stored_targets, "mask": mask}
    for suffix, row_mask, eps in (("", None, 0.0), ("_masked_smoothed", mask, smoothing)):
        z = logits.clone().requires_grad_()
        t = stored_targets if row_mask is not None else targets
        loss = F.cross_entropy(z, t, ignore_index=-100, label_smoothing=eps)
        loss.backward()
        tensors["loss" + suffix] = loss.reshape(1)
        tensors["dlogits" + suffix] = z.grad
    tensors["all_targets"] = targets
    save("softmax_ce", tensors, {"label_smoothing": smoothing})


def adam():
    for name, cls in (("adam", torch.optim.Adam), ("adamw", torch.optim.AdamW)):
        g = seeded(21)
        w, b = rand(g, 3, 4).requires_grad_(), rand(g, 4).requires_grad_()
        lr, wd = 0.01, 0.1
        tensors = {"weight": w.detach().clone(), "bias": b.detach().clone()}
        opt = cls([{"params": [w], "weight_decay": wd}, {"params": [b], "weight_decay": 0.0}], lr=lr)
        for step in range(3):
            w.grad, b.grad = rand(g, 3, 4), rand(g, 4) * 0.01
            tensors[f"grad_weight_{step}"], tensors[f"grad_bias_{step}"] = w.grad.clone(), b.grad.clone()
            opt.step()
        tensors.update({"weight_after": w, "bias_after": b,
                        "m_weight": opt.state[w]["exp_avg"], "v_weight": opt.state[w]["exp_avg_sq"],
                        "m_bias": opt.state[b]["exp_avg"], "v_bias": opt.state[b]["exp_avg_sq"]})
        save(name, tensors, {"lr": lr, "weight_decay": wd, "steps": 3})


def clip():
    g = seeded(22)
    w, b = torch.zeros(3, 5, requires_grad=True), torch.zeros(5, requires_grad=True)
    w.grad, b.grad = rand(g, 3, 5), rand(g, 5)
    grads = {"grad_weight": w.grad.clone(), "grad_bias": b.grad.clone()}
    max_norm = 1.0
    norm = torch.nn.utils.clip_grad_norm_([w, b], max_norm)
    save("clip_grad_norm", {**grads, "norm": norm.reshape(1), "clipped_weight": w.grad, "clipped_bias": b.grad},
         {"max_norm": max_norm})


def warmup_cosine():
    peak, floor, warmup, total = 1e-3, 1e-5, 5, 20

    def factor(step):
        if step < warmup:
            return step / warmup
        if step >= total:
            return floor / peak
        progress = (step - warmup) / (total - warmup)
        return (floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))) / peak

    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=peak)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    lrs = []
    for _ in range(total + 5):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    save("warmup_cosine", {"lr": torch.tensor(lrs)}, {"peak": peak, "floor": floor, "warmup": warmup, "total": total})


pointwise()
dropout()
batchnorm()
layernorm()
losses()
adam()
clip()
warmup_cosine()
