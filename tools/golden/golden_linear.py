"""Golden fixtures for Linear (with and without bias, 3-D input as transformers use it)."""
import torch
from common import save, seeded, rand

g = seeded(1)
x = rand(g, 2, 3, 5).requires_grad_()
w = rand(g, 4, 5).requires_grad_()
b = rand(g, 4).requires_grad_()
y = torch.nn.functional.linear(x, w, b)
dy = rand(g, *y.shape)
y.backward(dy)
save("linear", {"x": x, "weight": w, "bias": b, "y": y, "dy": dy, "dx": x.grad, "dweight": w.grad, "dbias": b.grad})
