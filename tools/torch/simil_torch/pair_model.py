"""What MatchNet and BEiT share as Simil pair models: pixel normalization, the embedding of an image
(optionally averaged with its mirror image) and the metric network's score of a pair."""

import torch
from torch import nn

from .metric import MetricNetwork


class SimilPairModel(nn.Module):
    """A Siamese pair model whose state_dict names are those of Simil's model.safetensors.

    embed(images): images [N, 3, S, S], RGB pixels scaled to [0, 1] → embeddings [N, F], normalized as the
    model was trained (normalization.json) and, with flip_average, the mean of the features of each image and
    of its mirror image (outside training). logit(a, b) and probability(a, b): the score of each pair
    (a[i], b[i]) of embeddings; forward(images_a, images_b) = probability(embed(images_a), embed(images_b)).
    Dropout and the outside-training averages follow train()/eval(); load() returns the model in eval mode.
    """

    def __init__(self, architecture, embedding_size, metric_hidden, dropout, symmetric_score, flip_average,
                 pixel_mean, pixel_std):
        super().__init__()
        self.architecture = architecture
        self.flip_average = flip_average
        self.metric = MetricNetwork(embedding_size, metric_hidden, dropout, symmetric_score)
        self.register_buffer("pixel_mean", torch.tensor(pixel_mean, dtype=torch.float32).reshape(1, 3, 1, 1), persistent=False)
        self.register_buffer("pixel_std", torch.tensor(pixel_std, dtype=torch.float32).reshape(1, 3, 1, 1), persistent=False)

    def features(self, normalized):
        """The embedding network over normalized pixels (one view)."""
        raise NotImplementedError

    def normalize(self, images):
        return (images - self.pixel_mean) / self.pixel_std

    def embed(self, images):
        x = self.normalize(images)
        if self.training or not self.flip_average:
            return self.features(x)
        return (self.features(x) + self.features(torch.flip(x, dims=[3]))) * 0.5

    def logit(self, a, b):
        return self.metric(a, b)

    def probability(self, a, b):
        return torch.sigmoid(self.logit(a, b))

    def forward(self, images_a, images_b):
        return self.probability(self.embed(images_a), self.embed(images_b))

    def load_simil_state(self, tensors, source):
        """Loads Simil's tensors by name, every one of them and nothing else (BatchNorm's num_batches_tracked,
        which Simil does not keep, aside)."""
        expected = {k for k in self.state_dict() if not k.endswith("num_batches_tracked")}
        missing, unexpected = sorted(expected - tensors.keys()), sorted(tensors.keys() - expected)
        if missing or unexpected:
            raise ValueError(f"{source}: does not match this {self.architecture} config: "
                             f"missing {missing[:5]}{'...' if len(missing) > 5 else ''}, "
                             f"unexpected {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}")
        own = self.state_dict()
        for name, value in tensors.items():
            if tuple(own[name].shape) != tuple(value.shape):
                raise ValueError(f"{source}: tensor '{name}' has shape {list(value.shape)}, this model expects {list(own[name].shape)}")
        self.load_state_dict(tensors, strict=False)
