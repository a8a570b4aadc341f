#!/usr/bin/env python3
"""np.matmul (OpenBLAS sgemm) at the shapes of benchmarks/gemm/GemmShapes.java, float32, with the
same transposes (as views, so OpenBLAS gets the trans flags). Threads: set OPENBLAS_NUM_THREADS
before starting (gemm-shapes.sh runs it with 1 and 2). One JSON line per shape."""
import json, os, sys, time
import numpy as np

SHAPES = [  # name, transA, transB, m, n, k
    ("mlp fwd NT", False, True, 128, 128, 128), ("mlp in NT", False, True, 128, 128, 784),
    ("mlp wgrad TN", True, False, 128, 128, 128), ("mlp in-wgrad TN", True, False, 128, 784, 128),
    ("mlp dgrad NN", False, False, 128, 128, 128),
    ("tf qkvo NT", False, True, 2048, 128, 128), ("tf gate/up NT", False, True, 2048, 512, 128),
    ("tf down NT", False, True, 2048, 128, 512), ("tf head NT", False, True, 2048, 256, 128),
    ("tf wgrad d TN", True, False, 128, 128, 2048), ("tf wgrad gate TN", True, False, 512, 128, 2048),
    ("tf wgrad down TN", True, False, 128, 512, 2048),
    ("tf dgrad d NN", False, False, 2048, 128, 128), ("tf dgrad ff NN", False, False, 2048, 128, 512),
    ("tf dgrad down NN", False, False, 2048, 512, 128),
]
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 15
threads = int(os.environ.get("OPENBLAS_NUM_THREADS", "0"))
rng = np.random.default_rng(1)
for name, ta, tb, m, n, k in SHAPES:
    a = rng.random((k, m) if ta else (m, k), dtype=np.float32) - 0.5
    b = rng.random((n, k) if tb else (k, n), dtype=np.float32) - 0.5
    av, bv = (a.T if ta else a), (b.T if tb else b)
    c = np.empty((m, n), np.float32)
    flops = 2.0 * m * n * k
    inner = int(max(1, min(2000, float(os.environ.get("SAMPLE_MS", "5")) * 1e6 / (flops / 100))))  # SAMPLE_MS at 100 GFLOP/s
    for _ in range(3 * inner): np.matmul(av, bv, out=c)
    us = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner): np.matmul(av, bv, out=c)
        us.append((time.perf_counter() - t0) * 1e6 / inner)
    us.sort()
    print(json.dumps({"impl": "numpy", "shape": name, "m": m, "n": n, "k": k, "threads": threads,
                      "best_us": round(us[0], 1), "median_us": round(us[reps // 2], 1),
                      "gflops_best": round(flops / us[0] / 1e3, 1), "gflops_median": round(flops / us[reps // 2] / 1e3, 1)}))
