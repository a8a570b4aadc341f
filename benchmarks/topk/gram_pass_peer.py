"""What one A^T (A x) costs in OpenBLAS for a 1024 x 4096 float32 matrix (the slow Gaussian of the
peer families): A @ x, A.T @ y and both, best / median of 2000 calls. Compare with the fused pass of
PassTiming.java in the same minutes.

Usage (repository root; benchmarks/svd-peers.sh builds the venv):
    OPENBLAS_NUM_THREADS=2 benchmarks/target/venv/bin/python benchmarks/topk/gram_pass_peer.py
"""
import time

import numpy as np

rng = np.random.default_rng(1)
A = rng.standard_normal((1024, 4096)).astype(np.float32)
x = rng.standard_normal(4096).astype(np.float32)
y = rng.standard_normal(1024).astype(np.float32)


def best_median(f, reps=2000):
    for _ in range(50):
        f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    ts.sort()
    return ts[0] * 1e6, ts[len(ts) // 2] * 1e6


for name, f in (("A @ x", lambda: A @ x), ("A.T @ y", lambda: A.T @ y), ("A.T @ (A @ x)", lambda: A.T @ (A @ x))):
    print("%-14s best / median %5.0f / %5.0f us" % ((name,) + best_median(f)))
