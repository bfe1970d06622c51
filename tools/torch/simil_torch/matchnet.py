"""MatchNet (simil.models.matchnet): the feature tower for 64×64 RGB and the metric network."""

import torch
from torch import nn

from .pair_model import SimilPairModel


class _Conv(nn.Conv2d):
    """A convolution followed, when the config asks for it, by batch norm (tower.convK.bn); with batch norm
    the convolution has no bias, as in Simil."""

    def __init__(self, channels_in, channels_out, kernel, padding, batch_norm):
        super().__init__(channels_in, channels_out, kernel, padding=padding, bias=not batch_norm)
        self.bn = nn.BatchNorm2d(channels_out) if batch_norm else None

    def forward(self, x):
        y = super().forward(x)
        return self.bn(y) if self.bn is not None else y


class MatchNetTower(nn.Module):
    """Conv7×7/24 → ReLU → MaxPool3/2 → Conv5×5/64 → ReLU → MaxPool3/2 → Conv3×3/96 → ReLU → Conv3×3/96 →
    ReLU → Conv3×3/64 → ReLU → MaxPool3/2 → FC 4096→bottleneck → ReLU → Dropout (simil.models.matchnet.MatchNetTower;
    Simil pools before the ReLU, which gives the same values)."""

    def __init__(self, bottleneck, dropout, batch_norm):
        super().__init__()
        self.conv1 = _Conv(3, 24, 7, 3, batch_norm)
        self.conv2 = _Conv(24, 64, 5, 2, batch_norm)
        self.conv3 = _Conv(64, 96, 3, 1, batch_norm)
        self.conv4 = _Conv(96, 96, 3, 1, batch_norm)
        self.conv5 = _Conv(96, 64, 3, 1, batch_norm)
        self.pool = nn.MaxPool2d(3, 2, 1)
        self.bottleneck = nn.Linear(64 * 8 * 8, bottleneck)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.relu(self.conv3(x))
        x = torch.relu(self.conv4(x))
        x = self.pool(torch.relu(self.conv5(x)))
        return self.dropout(torch.relu(self.bottleneck(torch.flatten(x, 1))))


class MatchNet(SimilPairModel):
    """A Simil MatchNet: tower.* and metric.* as in its model.safetensors."""

    def __init__(self, config, pixel_mean, pixel_std):
        super().__init__("matchnet", config["bottleneck"], config["metric_hidden"], config["dropout"],
                         config.get("symmetric_score", False), config.get("flip_average", False), pixel_mean, pixel_std)
        self.tower = MatchNetTower(config["bottleneck"], config["dropout"], config["batch_norm"])

    def features(self, normalized):
        return self.tower(normalized)
