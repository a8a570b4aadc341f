"""The monitor's per-epoch decomposition in LAPACK: ms per 128 x 128 float64 SVD / Gram eigen-
decomposition on one OpenBLAS thread, twelve matrices I + G / sqrt(128) (shaped like trained
residual-MLP weights, as GramSvdTiming.java), best of 200 sweeps. Compare with GramSvdTiming.java.

Usage (repository root; benchmarks/svd-peers.sh builds the venv):
    OPENBLAS_NUM_THREADS=1 benchmarks/target/venv/bin/python benchmarks/monitor/lapack_svd_128.py
"""
import time

import numpy as np
import scipy.linalg as sl

rng = np.random.default_rng(1)
MATS = [np.eye(128) + rng.standard_normal((128, 128)) / np.sqrt(128) for _ in range(12)]


def bench(f, name, mats=MATS, reps=200):
    for m in mats:
        f(m)
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        for m in mats:
            f(m)
        best = min(best, (time.perf_counter() - t) / len(mats))
    print(f"{name:55s} {best * 1e3:6.3f} ms per 128x128")


bench(lambda m: np.linalg.svd(m), "numpy.linalg.svd (gesdd), float64")
bench(lambda m: sl.svd(m, lapack_driver="gesvd"), "scipy.linalg.svd gesvd, float64")
bench(lambda m: np.linalg.eigh(m.T @ m), "numpy.linalg.eigh(X^T X) (syevd, no U), float64")
bench(lambda m: sl.eigh(m.T @ m, driver="evr"), "scipy.linalg.eigh(X^T X) syevr, float64")
bench(lambda m: sl.eigh(m.T @ m, driver="ev"), "scipy.linalg.eigh(X^T X) syev (QL/QR), float64")
bench(lambda m: np.linalg.svd(m), "numpy.linalg.svd of float32", mats=[m.astype(np.float32) for m in MATS])
