#!/usr/bin/env python3
"""float64 truth for every 2-D tensor of a safetensors file: s1, s2, v1 (input side, length
cols) and u1 (output side, length rows), cached next to the file as FILE.truth.npz, keyed by the
file's mtime and size (a changed file is recomputed; an interrupted run resumes: the cache is
rewritten after every tensor).

    svd_truth.py FILE.safetensors [--recompute]

The stored values are widened exactly (bf16 -> float32 is a 16-bit shift, float32 -> float64 is
exact), so the truth is that of the matrix on disk, not of the generator's unrounded one.

Method per tensor:
  dense  LAPACK float64 SVD (numpy.linalg.svd, singular values + thin factors) when
         min(rows, cols) <= 1024 (affordable here);
  svds   scipy.sparse.linalg.svds(k=2, solver='arpack') in float64 otherwise, with tol=0 and
         ncv=64. Why not tol=1e-14: svds hands tol**2 to ARPACK (it works on A^T A), and ARPACK
         never meets 1e-28; tol=0 is ARPACK's machine-precision criterion on A^T A, i.e. the
         Ritz residual ||A^T A v - s^2 v|| <= eps * s1^2, which is tighter than 1e-14 on A.
The first tensor of each file that takes the dense path is also solved with svds and the two
compared (|cos| of v1 and u1, relative s1 and s2 differences): the cross-check. Every answer
records its float64 residual r = max(||A v - s u||, ||A^T u - s v||) / s1 and the a-posteriori
bound sin(angle to the true v1) <= r * s1 / (s1 - s2) (Wedin), so each table can say how far the
truth itself can be trusted.
"""
import os, sys, time
import numpy as np
import scipy.sparse.linalg as sla
from safetensors_np import Reader

DENSE_MAX_MIN_DIM = 1024
NCV = 64


def cache_path(path):
    return path + ".truth.npz"


def file_key(path):
    st = os.stat(path)
    return np.array([st.st_mtime_ns, st.st_size], dtype=np.int64)


def load(path):
    """The cached truth as {name: dict} if its key matches the file, else {}."""
    c = cache_path(path)
    if not os.path.exists(c): return {}
    z = np.load(c, allow_pickle=False)
    if not np.array_equal(z["key"], file_key(path)): return {}
    out = {}
    for i, name in enumerate(z["names"]):
        out[str(name)] = {"s1": float(z["s1"][i]), "s2": float(z["s2"][i]), "v1": z[f"v1_{i}"], "u1": z[f"u1_{i}"],
                          "resid": float(z["resid"][i]), "method": str(z["method"][i]), "seconds": float(z["seconds"][i])}
    if "cross" in z.files: out["__cross__"] = {"name": str(z["cross_name"]), "values": z["cross"].tolist()}
    return out


def save(path, truth):
    names = [n for n in truth if not n.startswith("__")]
    arrays = {"key": file_key(path), "names": np.array(names), "s1": np.array([truth[n]["s1"] for n in names]),
              "s2": np.array([truth[n]["s2"] for n in names]), "resid": np.array([truth[n]["resid"] for n in names]),
              "method": np.array([truth[n]["method"] for n in names]),
              "seconds": np.array([truth[n]["seconds"] for n in names])}
    for i, n in enumerate(names):
        arrays[f"v1_{i}"], arrays[f"u1_{i}"] = truth[n]["v1"], truth[n]["u1"]
    if "__cross__" in truth:
        arrays["cross_name"] = np.array(truth["__cross__"]["name"]); arrays["cross"] = np.array(truth["__cross__"]["values"])
    tmp = cache_path(path) + ".tmp.npz"
    np.savez(tmp, **arrays)
    os.replace(tmp, cache_path(path))


def by_dense(a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return s[0], s[1], vt[0].copy(), u[:, 0].copy()


def by_svds(a):
    ncv = min(NCV, min(a.shape) - 1)
    u, s, vt = sla.svds(a, k=2, tol=0, ncv=ncv, solver="arpack", rng=np.random.default_rng(0))
    order = np.argsort(s)[::-1]
    return s[order[0]], s[order[1]], vt[order[0]].copy(), u[:, order[0]].copy()


def residual(a, s1, v1, u1):
    return max(np.linalg.norm(a @ v1 - s1 * u1), np.linalg.norm(a.T @ u1 - s1 * v1)) / s1


def compute(path, recompute=False):
    truth = {} if recompute else load(path)
    with Reader(path) as r:
        for name in r.names():
            if len(r.shape(name)) != 2 or name in truth: continue
            a = r.tensor(name, np.float64)
            t0 = time.time()
            dense = min(a.shape) <= DENSE_MAX_MIN_DIM
            s1, s2, v1, u1 = (by_dense if dense else by_svds)(a)
            secs = time.time() - t0
            if v1 @ (a.T @ u1) < 0: u1 = -u1  # consistent pair: u1 = A v1 / s1
            res = residual(a, s1, v1, u1)
            truth[name] = {"s1": s1, "s2": s2, "v1": v1, "u1": u1, "resid": res,
                           "method": "dense" if dense else f"svds arpack k=2 tol=0 ncv={min(NCV, min(a.shape) - 1)}",
                           "seconds": secs}
            print(f"truth {name} {a.shape[0]}x{a.shape[1]}: s1={s1:.10g} s1/s2={s1 / s2:.6f} resid={res:.1e} "
                  f"sin-bound={res * s1 / (s1 - s2):.1e} ({truth[name]['method']}, {secs:.1f} s)", file=sys.stderr, flush=True)
            if dense and "__cross__" not in truth and min(a.shape) > 2:
                t1 = time.time()
                c1, c2, cv, cu = by_svds(a)
                vals = [abs(cv @ v1), abs(cu @ u1), abs(c1 - s1) / s1, abs(c2 - s2) / s2]
                truth["__cross__"] = {"name": name, "values": vals}
                print(f"cross-check {name}: dense vs svds 1-|cos| v1 {1 - vals[0]:.1e} u1 {1 - vals[1]:.1e}, "
                      f"rel diff s1 {vals[2]:.1e} s2 {vals[3]:.1e} (svds {time.time() - t1:.1f} s)", file=sys.stderr, flush=True)
            save(path, truth)
            del a
    return truth


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    for p in args:
        compute(p, "--recompute" in sys.argv)
