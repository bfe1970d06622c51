"""A Simil model directory (config.json, model.safetensors, normalization.json) as a PyTorch module."""

import json
from pathlib import Path

from .beit import Beit
from .matchnet import MatchNet
from .safetensors_file import read_safetensors

_ARCHITECTURES = {"matchnet": MatchNet, "beit": Beit}


def load(model_dir, map_location="cpu"):
    """The model in model_dir as a SimilPairModel (MatchNet or Beit) in eval mode, every weight loaded by name."""
    model_dir = Path(model_dir)
    config_file, weights_file = model_dir / "config.json", model_dir / "model.safetensors"
    if not config_file.is_file():
        raise ValueError(f"{model_dir} is not a model directory (no config.json)")
    config = json.loads(config_file.read_text())
    architecture = config.get("architecture", "?")
    if architecture not in _ARCHITECTURES:
        raise ValueError(f"{config_file}: unknown architecture '{architecture}' ({', '.join(_ARCHITECTURES)})")
    normalization_file = model_dir / "normalization.json"
    if normalization_file.is_file():
        normalization = json.loads(normalization_file.read_text())
        mean, std = normalization["mean"], normalization["std"]
    else:
        mean, std = [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]  # plain [0, 1] pixels, as Simil does without the file
    model = _ARCHITECTURES[architecture](config, mean, std)
    tensors, _ = read_safetensors(weights_file)
    model.load_simil_state(tensors, weights_file)
    return model.to(map_location).eval()
