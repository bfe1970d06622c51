"""The safetensors format, read without the safetensors package: an 8-byte little-endian header length, a JSON
header naming each tensor's dtype, shape and byte range, then the raw little-endian data."""

import json
import struct

import numpy as np
import torch

_NUMPY_DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I32": "<i4", "I64": "<i8"}


def read_safetensors(path):
    """(tensors, metadata): every tensor of the file by name (float32 for F32/F64/F16/BF16, int64 for I32/I64)
    and the header's __metadata__ strings. Simil's per-tensor CRC32C checksums are not verified here (the
    engine verifies them when it loads a model)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: not a safetensors file (shorter than the 8-byte header length)")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length > len(data) - 8:
        raise ValueError(f"{path}: not a safetensors file (header length {header_length} past the end)")
    header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    start = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        dtype, shape = entry["dtype"], entry["shape"]
        begin, end = entry["data_offsets"]
        if start + end > len(data):
            raise ValueError(f"{path}: truncated: tensor '{name}' runs past the end of the file")
        raw = data[start + begin : start + end]
        if dtype == "BF16":
            values = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        elif dtype in _NUMPY_DTYPES:
            values = np.frombuffer(raw, _NUMPY_DTYPES[dtype])
        else:
            raise ValueError(f"{path}: tensor '{name}' has unsupported dtype {dtype}")
        values = values.astype(np.int64 if dtype.startswith("I") else np.float32)
        tensors[name] = torch.from_numpy(values.reshape(shape).copy())
    return tensors, metadata
