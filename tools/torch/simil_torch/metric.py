"""MatchNet's metric network over a pair of embeddings (simil.models.MetricNetwork)."""

import torch
from torch import nn


class MetricNetwork(nn.Module):
    """FC(2F→H) → ReLU → Dropout → FC(H→H) → ReLU → Dropout → FC(H→1) over [a ; b]. A symmetric network
    scores a pair outside training by (f(a, b) + f(b, a)) / 2."""

    def __init__(self, embedding, hidden, dropout, symmetric):
        super().__init__()
        self.symmetric = symmetric
        self.fc1 = nn.Linear(2 * embedding, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 1)
        self.dropout = nn.Dropout(dropout)

    def ordered(self, a, b):
        """Logits [N] of f(a[i], b[i]) in this order."""
        h = self.dropout(torch.relu(self.fc1(torch.cat([a, b], dim=1))))
        h = self.dropout(torch.relu(self.fc2(h)))
        return self.fc3(h).reshape(-1)

    def forward(self, a, b):
        if self.training or not self.symmetric:
            return self.ordered(a, b)
        return (self.ordered(a, b) + self.ordered(b, a)) * 0.5
