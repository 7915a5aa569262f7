"""Records a small plain-PyTorch spiking network with joulebench_record and writes the activity file that
`joulebench price` reads. The network is a 784-128-10 LIF net with its own (untrained, seeded) weights,
stepped over T = 16 steps of rate-coded MNIST images from an .npz archive (x: [N, 784] in [0, 1]), as
`joulebench export --data` writes it. Swap in your own model, its neuron modules and your data loader.

Usage: python3 recorder/example.py mnist-test.npz activity.json
       npx joulebench price activity.json
"""
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import joulebench_record as jr  # noqa: E402


class Lif(nn.Module):
    """A leaky integrate-and-fire layer: v = beta * v + x; a spike where v >= 1, then v = 0."""

    def __init__(self, beta: float) -> None:
        super().__init__()
        self.beta = beta
        self.v = None

    def reset(self) -> None:
        self.v = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.v = x if self.v is None else self.beta * self.v + x
        spikes = (self.v >= 1).float()
        self.v = self.v * (1 - spikes)
        return spikes


def main(data: str, out: str) -> None:
    torch.manual_seed(0)
    lif1, lif2 = Lif(0.9), Lif(0.9)
    net = nn.Sequential(nn.Linear(784, 128), lif1, nn.Linear(128, 10), lif2)
    with torch.no_grad():
        net[0].weight.mul_(3.0)  # enough drive for some spikes from rate-coded pixels
    x = torch.from_numpy(np.load(data)["x"][:200].reshape(200, 784))
    T = 16
    spikes = (torch.rand(T, *x.shape) < x).float()  # rate coding: [T, N, 784]
    batches = [spikes[:, i : i + 50] for i in range(0, 200, 50)]
    doc = jr.record(net, batches, network="example-lif-784-128-10", neurons={lif1: ("lif", "zero"), lif2: ("lif", "zero")},
                    reset=lambda m: (lif1.reset(), lif2.reset()))
    jr.write(doc, out)
    print(f"wrote {out}: {len(doc['layers'])} layers, {doc['samples']} samples, T = {doc['timesteps']}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
