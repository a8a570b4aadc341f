#!/usr/bin/env python3
"""PyTorch peer of the quick `geocont mlp` epoch: the model, data, init distribution, optimizer and
batch order rule of benchmarks/mlp/numpy_peer.py (784 -> 128 linear, 12 residual blocks
h <- h + relu(W h + b), 128 -> 10; PyTorch-default init; SGD momentum 0.9, lr 0.05, global
gradient-norm clip 5; batch 128; the embedded 8,000/2,000 MNIST split), float32 on the CPU.

    python torch_mlp.py --mode eager|compile [--epochs 4] [--threads 2] [--coherence]

--coherence also does geocont's per-step bookkeeping (|cos| and cos of adjacent flattened hidden
gradients, and the epoch and cumulative hidden-gradient sums). Prints one JSON line per epoch:
train_seconds (training steps only), train/test accuracy.
"""
import argparse, json, os, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "mlp"))
from numpy_peer import load  # the same data and normalisation

import torch
import torch.nn as nn


class Mlp(nn.Module):
    def __init__(self, d=128, depth=12):
        super().__init__()
        self.inp = nn.Linear(784, d)
        self.blocks = nn.ModuleList(nn.Linear(d, d) for _ in range(depth))
        self.out = nn.Linear(d, 10)

    def forward(self, x):
        h = self.inp(x)
        for b in self.blocks:
            h = h + torch.relu(b(h))
        return self.out(h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["eager", "compile"], default="eager")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--coherence", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr, xte, yte = (torch.from_numpy(v.copy()) for v in load())
    model = Mlp()
    # dynamic=False: one graph per batch size (128 and the last batch of 64), each compiled once
    step_model = torch.compile(model, dynamic=False) if a.mode == "compile" else model
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    params = list(model.parameters())
    hidden = [b.weight for b in model.blocks]
    g_epoch = torch.zeros(len(hidden), 128 * 128)
    g_cum = torch.zeros_like(g_epoch)
    gen = torch.Generator().manual_seed(a.seed)
    bs = 128
    for ep in range(1, a.epochs + 1):
        order = torch.randperm(len(xtr), generator=gen)
        correct, flat_abs = 0, torch.zeros(len(hidden) - 1, dtype=torch.float64)
        if a.coherence: g_epoch.zero_()
        t0 = time.perf_counter()
        for s in range(0, len(xtr), bs):
            idx = order[s:s + bs]
            x, y = xtr[idx], ytr[idx]
            logits = step_model(x)
            loss = nn.functional.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=False)
            loss.backward()
            correct += int((logits.argmax(1) == y).sum())
            if a.coherence:
                with torch.no_grad():
                    g = torch.stack([w.grad.reshape(-1) for w in hidden])
                    gd = g.double()
                    nrm = (gd * gd).sum(1)
                    dots = (gd[:-1] * gd[1:]).sum(1)
                    flat_abs += (dots / (nrm[:-1] * nrm[1:]).sqrt()).abs()
                    g_epoch.add_(g)
                    g_cum.add_(g)
            nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
        t_train = time.perf_counter() - t0
        with torch.no_grad():
            te = int((model(xte).argmax(1) == yte).sum())
        print(json.dumps({"epoch": ep, "train_seconds": t_train, "train_acc": correct / len(xtr),
                          "test_acc": te / len(xte), "mode": a.mode, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
