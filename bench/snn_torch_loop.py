"""The PyTorch reference of bench/throughput.ts: a converted MLP SNN (dense layers, IF neurons with reset by
subtraction, an integrating read-out) stepped over T steps in a plain loop on batches of rate-coded
images (Bernoulli spikes drawn by torch), one thread, as a user of snnTorch would run it. Prints JSON:
wall time in ms per T (the best of at least 3 runs and 2 s). Usage: python3 bench/snn_torch_loop.py DIR (written by bench/throughput.ts)"""
import json
import sys
import time
import os
# JB_CPU=1: CPU time of the process (all threads), robust to other load on a shared machine; else wall time
clock = time.process_time if os.environ.get('JB_CPU') == '1' else time.perf_counter

import numpy as np
import torch


def main(folder: str) -> None:
    meta = json.load(open(f"{folder}/meta.json"))
    torch.set_num_threads(1)
    torch.manual_seed(1)
    x = torch.from_numpy(np.fromfile(f"{folder}/images.f32", dtype=np.float32).reshape(meta["images"], -1))
    layers = []
    for k, l in enumerate(meta["layers"]):
        w = torch.from_numpy(np.fromfile(f"{folder}/w{k}.f32", dtype=np.float32).reshape(l["out"], l["in"]))
        b = torch.from_numpy(np.fromfile(f"{folder}/b{k}.f32", dtype=np.float32))
        layers.append((w, b, l["threshold"], l["spiking"]))
    out = {}
    with torch.no_grad():
        for T in meta["timesteps"]:
            # the best of at least 3 runs and 2 s of them (at most 50), as bench/throughput.ts times its rows
            best, total, runs = float("inf"), 0.0, 0
            while runs < 50 and (runs < 3 or total < 2.0):
                start = clock()
                for s in range(0, x.shape[0], 1000):
                    xb = x[s : s + 1000]
                    v = [torch.zeros(xb.shape[0], w.shape[0]) for (w, _, _, _) in layers]
                    for _ in range(T):
                        a = (torch.rand_like(xb) < xb).float()
                        for k, (w, b, thr, spiking) in enumerate(layers):
                            v[k] += torch.addmm(b, a, w.t())
                            if spiking:
                                a = (v[k] >= thr).float()
                                v[k] -= a * thr
                    v[-1].argmax(1)
                elapsed = clock() - start
                best, total, runs = min(best, elapsed), total + elapsed, runs + 1
            out[str(T)] = best * 1000
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
