"""Simil checkpoints in PyTorch.

    import sys; sys.path.insert(0, "tools/torch")
    import simil_torch
    model = simil_torch.load("runs/quick")              # MatchNet or Beit, eval mode
    a = simil_torch.read_image("a.jpg")[None]           # [1, 3, 64, 64], RGB in [0, 1]
    b = simil_torch.read_image("b.jpg")[None]
    print(model(a, b))                                  # the probability simil compare prints

model.embed(images) gives the embeddings simil computes, model.logit(a, b) / model.probability(a, b) score pairs
of embeddings, and model.state_dict() names every tensor as model.safetensors does.
"""

from .beit import Beit
from .images import read_image
from .loading import load
from .matchnet import MatchNet
from .metric import MetricNetwork
from .pair_model import SimilPairModel
from .safetensors_file import read_safetensors

__all__ = ["Beit", "MatchNet", "MetricNetwork", "SimilPairModel", "load", "read_image", "read_safetensors"]
