"""Shared helpers for the golden-fixture scripts: PyTorch in float64, fixtures stored as float32 safetensors.

Each script builds small inputs and parameters, runs the PyTorch op forward and backward (in double
precision, so the reference is far more accurate than the float32 engine it checks), and writes
src/test/resources/golden/NAME.safetensors. JUnit tests (src/test/java/.../*GoldenTest) read them.
Written by hand (struct + json) so that only Debian's python3-torch is needed.
"""
import json
import os
import struct

import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "golden")


def save(name, tensors, meta=None):
    """tensors: dict name -> torch tensor (float16 stored F16, other floats F32, integer/bool I32); meta: dict -> strings."""
    header, blobs, offset = {}, [], 0
    if meta:
        header["__metadata__"] = {k: str(v) for k, v in meta.items()}
    for key, t in tensors.items():
        t = t.detach().cpu().contiguous()
        if t.dtype in (torch.int64, torch.int32, torch.bool):
            data, dtype = t.to(torch.int32).numpy().tobytes(), "I32"
        elif t.dtype == torch.float16:
            data, dtype = t.numpy().tobytes(), "F16"
        else:
            data, dtype = t.to(torch.float32).numpy().tobytes(), "F32"
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name + ".safetensors")
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)
    print("wrote", os.path.relpath(path))


def seeded(seed):
    """A generator so every fixture is reproducible on its own."""
    return torch.Generator().manual_seed(seed)


def rand(g, *shape, scale=1.0):
    return (torch.rand(*shape, generator=g) * 2 - 1) * scale
