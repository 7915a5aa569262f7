"""The PyTorch reference of bench/nir-nmnist.ts: the same discretized 5-layer spiking conv net (weights
folded by joulebench's NIR conversion, per-step decay, thresholds, pooling as window means), stepped
in a plain loop over T on one batch, as a user of snnTorch/Norse would run it. Prints JSON: wall time
in ms of the loop and the output group's spike count per sample.
Usage: python3 bench/nir_nmnist_torch.py DIR (written by bench/nir-nmnist.ts)"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def main(folder: str) -> None:
    meta = json.load(open(f"{folder}/meta.json"))
    torch.set_num_threads(int(meta["threads"]))
    n, steps = int(meta["samples"]), int(meta["T"])
    load = lambda name, shape: torch.from_numpy(np.fromfile(f"{folder}/{name}.f32", dtype=np.float32).reshape(shape))
    w0 = load("w0", (12, 2, 5, 5))
    w2 = load("w2", (32, 12, 5, 5))
    w4 = load("w4", (10, 800))
    x = load("inputs", (n, steps, 2, 34, 34))
    g = meta["groups"]
    with torch.no_grad():
        start = time.perf_counter()
        v = [torch.zeros(n, 12, 30, 30), torch.zeros(n, 12, 15, 15), torch.zeros(n, 32, 11, 11), torch.zeros(n, 32, 5, 5), torch.zeros(n, 10)]
        counts = torch.zeros(n, 10)

        def neuron(k: int, current: torch.Tensor) -> torch.Tensor:
            p = g[k]
            v[k] = (v[k] * p["beta"] if p["model"] == "lif" else v[k]) + (current + p["bias"])
            s = (v[k] >= p["threshold"]).float()
            v[k] = v[k] * (1 - s)  # reset to zero
            return s

        for t in range(steps):
            s = neuron(0, F.conv2d(x[:, t], w0))
            s = neuron(1, F.avg_pool2d(s, 2))
            s = neuron(2, F.conv2d(s, w2))
            s = neuron(3, F.avg_pool2d(s, 2))
            s = neuron(4, F.linear(s.flatten(1), w4))
            counts += s
        ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"ms": ms, "counts": counts.sum(1).tolist()}))


if __name__ == "__main__":
    main(sys.argv[1])
