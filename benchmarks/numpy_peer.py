#!/usr/bin/env python3
"""Peer measurements for benchmarks/cpu-peers.sh: numpy (OpenBLAS/LAPACK) on this machine.

Prints one JSON object: float32 matmul GFLOP/s and numpy.linalg.svd float64 wall time at each
size, from repeated timings for about --seconds each: the best (minimum) and the median, the
same two statistics the JMH SampleTime benchmarks report (p0 and p50).
"""
import argparse
import json
import platform
import time

import numpy as np


def timings(fn, seconds, min_reps=3):
    """(best, median, reps) of wall times of fn over about `seconds`, after one warm-up call."""
    fn()  # warm-up (thread pool start, page faults)
    times, end = [], time.perf_counter() + seconds
    while len(times) < min_reps or time.perf_counter() < end:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[0], times[len(times) // 2], len(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gemm", default="256,512,1024,2048")
    p.add_argument("--svd", default="64,128,256,512")
    p.add_argument("--seconds", type=float, default=2.0)
    a = p.parse_args()
    rng = np.random.default_rng(1)
    out = {"numpy": np.__version__, "python": platform.python_version(), "gemm": {}, "svd": {}}
    try:
        cfg = np.show_config(mode="dicts")
        out["blas"] = cfg["Build Dependencies"]["blas"].get("name", "?") + " " + cfg["Build Dependencies"]["blas"].get("version", "")
    except Exception:  # older numpy: no dict mode
        out["blas"] = "unknown"
    for n in (int(s) for s in a.gemm.split(",") if s):
        x = rng.standard_normal((n, n), dtype=np.float32)
        y = rng.standard_normal((n, n), dtype=np.float32)
        t, med, reps = timings(lambda: x @ y, a.seconds)
        out["gemm"][n] = {"seconds": t, "median_seconds": med, "gflops": 2.0 * n ** 3 / t / 1e9,
                          "median_gflops": 2.0 * n ** 3 / med / 1e9, "reps": reps}
    for n in (int(s) for s in a.svd.split(",") if s):
        x = rng.standard_normal((n, n))  # float64, full U, S, V^T like the exact Java SVD
        t, med, reps = timings(lambda: np.linalg.svd(x, full_matrices=False), a.seconds)
        out["svd"][n] = {"seconds": t, "median_seconds": med, "reps": reps}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
