"""Golden fixtures for Conv2d (strides 1 and 2, padding 0/1/3, with and without bias) and MaxPool2d
(3x3 stride 2 padding 1, 2x2 stride 2) including tied maxima and all-negative borders."""
import torch
import torch.nn.functional as F
from common import save, seeded, rand


def conv(name, seed, n, c, h, w, k, kernel, stride, padding, bias=True):
    g = seeded(seed)
    x = rand(g, n, c, h, w).requires_grad_()
    weight = rand(g, k, c, kernel, kernel).requires_grad_()
    b = rand(g, k).requires_grad_() if bias else None
    y = F.conv2d(x, weight, b, stride=stride, padding=padding)
    dy = rand(g, *y.shape)
    y.backward(dy)
    tensors = {"x": x, "weight": weight, "y": y, "dy": dy, "dx": x.grad, "dweight": weight.grad}
    if bias:
        tensors.update({"bias": b, "dbias": b.grad})
    save(name, tensors, {"kernel": kernel, "stride": stride, "padding": padding})


def pool(name, x, kernel, stride, padding, seed):
    x = x.clone().requires_grad_()
    y = F.max_pool2d(x, kernel, stride, padding)
    dy = rand(seeded(seed), *y.shape)
    y.backward(dy)
    save(name, {"x": x, "y": y, "dy": dy, "dx": x.grad}, {"kernel": kernel, "stride": stride, "padding": padding})


conv("conv_s1_p1", 10, 2, 3, 6, 5, 4, 3, 1, 1)
conv("conv_s2_p3", 11, 2, 3, 9, 8, 5, 7, 2, 3)
conv("conv_s2_p0_nobias", 12, 2, 4, 7, 7, 3, 3, 2, 0, bias=False)
conv("conv_s1_p2_k5", 13, 1, 2, 6, 6, 3, 5, 1, 2)

# Values on a coarse grid so windows share maxima (ties go to the first in row-major order), and an
# all-negative border so that a padded zero would win if padding took part in the max.
g = seeded(20)
x = torch.round(rand(g, 2, 3, 7, 8) * 2) / 2
x[:, :, 0, :] = -torch.rand(2, 3, 8, generator=g) - 1
x[:, :, :, -1] = -torch.rand(2, 3, 7, generator=g) - 1
x[1, 2] = -torch.rand(7, 8, generator=g) - 0.5  # one plane entirely negative
pool("pool_k3_s2_p1", x, 3, 2, 1, 21)
pool("pool_k2_s2", torch.round(rand(g, 2, 2, 6, 8) * 2) / 2, 2, 2, 0, 22)
