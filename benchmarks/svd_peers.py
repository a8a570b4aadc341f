#!/usr/bin/env python3
"""The peers of geocont's top-k SVD, end to end per tensor, as a numpy user would run them:
mmap the safetensors file, widen bf16 to float32 (astype + shift; F32 is copied into memory),
then one solver on the float32 array, default tolerances, k=1.

  svd_peers.py bandwidth OUT.json
      machine read bandwidth: numpy sum over a 1 GiB float32 array (one thread) and a float32
      matrix-vector product over the same bytes (BLAS, its threads), best of 3 each, plus a 64 MiB
      gemv (best of 10) for the cache; appended to OUT.json (svd-peers.sh measures at start and end)
  svd_peers.py run FILE.safetensors OUT.json [--solvers arpack,propack,randomized] [--rand-iter auto] [--repeat 1]
      per 2-D tensor and solver: seconds (load + solve), s1, |cos| of v1 and u1 against the
      float64 truth (FILE.truth.npz from svd_truth.py), and, in a separate untimed run through a
      counting scipy LinearOperator, the matrix-vector products and passes over the matrix;
      --repeat N times each solver N times (each reading the tensor again) and keeps the best
      --no-warm-family skips the untimed pass over the whole family that comes first by default
  svd_peers.py report BANDWIDTH.json FAMILY=PEERS.json,GEOCONT.json,GEOVECTORS.safetensors ... [--header H.json]
      the markdown tables (one per family) that svd-peers.sh prints

Solvers (scipy/sklearn defaults unless named):
  arpack      scipy.sparse.linalg.svds(w, k=1, solver='arpack'): tol=0 (ARPACK's machine
              precision on w^T w), ncv=min(n, 20), maxiter=10 n
  propack     svds(w, k=1, solver='propack'): tol=0, kmax=maxiter=None -> 10 Lanczos steps. If
              that default raises "did not converge", the run retries with maxiter (kmax) 20,
              40, ... 2560 and reports the first that converges (the failed default's seconds
              are recorded too)
  randomized  sklearn.utils.extmath.randomized_svd(w, 1, n_iter='auto' (7 for k=1),
              n_oversamples=10, random_state=0): 2 n_iter + 2 passes with an 11-column block
              (fixed by sklearn's code, so counted from it, not by a wrapper)
Every solver gets rng / random_state 0 so that the timed and the counting runs do the same
work. Passes over memory: an ARPACK/PROPACK matvec or rmatvec with one vector reads the matrix
once (a matmat with c columns counts once, c products); the floor is (stored bytes + passes x
float32 bytes) / bandwidth, the time the memory traffic alone takes at the best bandwidth measured.
"""
import gc, json, os, platform, subprocess, sys, time
import numpy as np
import scipy
import scipy.sparse.linalg as sla
from scipy.linalg import LinAlgError
from safetensors_np import Reader
import svd_truth

SOLVERS = ["arpack", "propack", "randomized"]


# ---- solvers -----------------------------------------------------------------------------------

def arpack(w):
    u, s, vt = sla.svds(w, k=1, solver="arpack", rng=np.random.default_rng(0))
    return float(s[0]), vt[0], u[:, 0], {"tol": 0.0, "ncv": min(min(w.shape), 20), "maxiter": 10 * min(w.shape)}


def propack(w, maxiter=None):
    u, s, vt = sla.svds(w, k=1, solver="propack", maxiter=maxiter, rng=np.random.default_rng(0))
    return float(s[0]), vt[0], u[:, 0], {"tol": 0.0, "kmax": maxiter or 10}


def randomized(w, n_iter="auto"):
    from sklearn.utils.extmath import randomized_svd
    n_iter = n_iter if n_iter == "auto" else int(n_iter)
    u, s, vt = randomized_svd(w, 1, n_iter=n_iter, random_state=0)
    it = (7 if 1 < 0.1 * min(w.shape) else 4) if n_iter == "auto" else n_iter
    return float(s[0]), vt[0], u[:, 0], {"n_iter": it, "n_oversamples": 10, "passes": 2 * it + 2,
                                          "block": 11, "matvec_cols": 11 * (2 * it + 2)}


class Counting(sla.LinearOperator):
    """w as a LinearOperator that counts products (and passes over w)."""

    def __init__(self, w):
        super().__init__(w.dtype, w.shape)
        self.w, self.matvec_n, self.rmatvec_n, self.matmat_cols, self.passes = w, 0, 0, 0, 0

    def _matvec(self, x):
        self.matvec_n += 1; self.passes += 1
        return self.w @ x

    def _rmatvec(self, x):
        self.rmatvec_n += 1; self.passes += 1
        return self.w.T @ x

    def _matmat(self, x):
        self.matmat_cols += x.shape[1]; self.passes += 1
        return self.w @ x

    def _rmatmat(self, x):
        self.matmat_cols += x.shape[1]; self.passes += 1
        return self.w.T @ x


# ---- machine -------------------------------------------------------------------------------------

def bandwidth():
    n = (1 << 30) // 4
    a = np.full(n, 1.0, dtype=np.float32)
    best_sum = min(_timed(lambda: a.sum()) for _ in range(3))
    m = a.reshape(16384, -1)
    x = np.ones(m.shape[1], dtype=np.float32)
    best_gemv = min(_timed(lambda: m @ x) for _ in range(3))
    del a, m
    c = np.full((2048, 8192), 1.0, dtype=np.float32)  # 64 MiB: stays in a large last-level cache
    xc = np.ones(8192, dtype=np.float32)
    best_cache = min(_timed(lambda: c @ xc) for _ in range(10))
    gb = (1 << 30) / 1e9
    return {"when": time.strftime("%H:%M:%S"), "sum_GBps": gb / best_sum, "gemv_GBps": gb / best_gemv,
            "gemv64MiB_GBps": c.nbytes / 1e9 / best_cache}


def merge_bandwidth(path, b):
    """Appends one measurement to path; GBps is the best of all (the floor must be a lower bound)."""
    d = json.load(open(path)) if os.path.exists(path) else {"runs": []}
    d["runs"].append(b)
    d["sum_GBps"] = max(r["sum_GBps"] for r in d["runs"])
    d["gemv_GBps"] = max(r["gemv_GBps"] for r in d["runs"])
    d["GBps"] = max(d["sum_GBps"], d["gemv_GBps"])
    d["gemv64MiB_GBps"] = max(r.get("gemv64MiB_GBps", 0) for r in d["runs"])
    d["how"] = ("1 GiB float32: numpy sum (1 thread) and matrix @ vector (BLAS threads), best of 3 each, "
                "measured at the start and the end of the run; the floor uses the largest")
    json.dump(d, open(path, "w"), indent=1)
    return d


def _timed(f):
    t0 = time.perf_counter(); f(); return time.perf_counter() - t0


def environment():
    env = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
           "threads_env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                                           "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}}
    try:
        import sklearn
        env["sklearn"] = sklearn.__version__
    except ImportError as e:
        env["sklearn"] = f"not installed ({e})"
    try:
        import threadpoolctl
        env["threadpool"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads", "architecture", "filepath")}
                             for p in threadpoolctl.threadpool_info()]
    except ImportError:
        env["threadpool"] = "threadpoolctl not installed"
    return env


# ---- run -----------------------------------------------------------------------------------------

def cosines(truth, v, u):
    v, u = np.asarray(v, np.float64), np.asarray(u, np.float64)
    return (abs(truth["v1"] @ v) / np.linalg.norm(v), abs(truth["u1"] @ u) / np.linalg.norm(u))


def solve(solver, w, rand_iter):
    if solver == "arpack": return arpack(w)
    if solver == "randomized": return randomized(w, rand_iter)
    return propack(w)


def attempt(reader, name, f):
    """(seconds, result or the exception): reading the tensor from the file included."""
    gc.collect()
    t0 = time.perf_counter()
    try:
        out = f(reader.tensor(name))
    except Exception as e:  # recorded, the run goes on (e.g. ArpackNoConvergence)
        return time.perf_counter() - t0, e
    return time.perf_counter() - t0, out


def run_one(reader, name, solver, truth, rand_iter, repeat=1):
    rec = {}
    if solver == "propack":
        secs, out = attempt(reader, name, propack)
        kmax = None
        if isinstance(out, LinAlgError):  # the default (10 steps) did not converge: what a user tries next
            rec.update(default_error=str(out), default_seconds=secs)
            kmax = 20
            while True:
                secs, out = attempt(reader, name, lambda w: propack(w, kmax))
                if not isinstance(out, LinAlgError) or kmax >= 2560: break
                kmax *= 2
        f = lambda w: propack(w, kmax)
    else:
        f = arpack if solver == "arpack" else (lambda w: randomized(w, rand_iter))
        secs, out = attempt(reader, name, f)
    if isinstance(out, Exception):
        rec.update(seconds=secs, error=f"{type(out).__name__}: {out}")
        return rec
    times = [secs] + [attempt(reader, name, f)[0] for _ in range(repeat - 1)]
    rec.update(seconds=min(times), all_seconds=times)
    s1, v, u, info = out
    rec.update(info)
    rec["s1"] = s1
    rec["cos_v1"], rec["cos_u1"] = cosines(truth, v, u)
    rec["s1_rel_err"] = abs(s1 - truth["s1"]) / truth["s1"]
    if solver != "randomized":  # the counting run: same solver, same seed, w behind a LinearOperator
        op = Counting(reader.tensor(name))
        t1 = time.perf_counter()
        try:
            if solver == "arpack": sla.svds(op, k=1, solver="arpack", rng=np.random.default_rng(0))
            else: sla.svds(op, k=1, solver="propack", maxiter=kmax, rng=np.random.default_rng(0))
        except Exception as e:
            rec["count_error"] = str(e)
        rec.update(matvec=op.matvec_n, rmatvec=op.rmatvec_n, matmat_cols=op.matmat_cols, passes=op.passes,
                   count_seconds=time.perf_counter() - t1)
    return rec


def run(path, out, solvers, rand_iter, repeat=1, warm_family=True):
    truth = svd_truth.load(path)
    warm = np.random.default_rng(1).standard_normal((512, 512)).astype(np.float32)
    for s in solvers:  # untimed warm-up (imports, first calls), as TopKPeer warms up its JIT
        try: solve(s, warm, rand_iter)
        except Exception as e: print(f"warm-up {s}: {e}", file=sys.stderr)
    res = {"file": os.path.abspath(path), "solvers": solvers, "repeat": repeat, "env": environment(), "tensors": {},
           "warm_family": warm_family}
    with Reader(path) as r:
        if warm_family:  # one untimed pass over the whole family, as TopKPeer makes one (steady state on both sides)
            for name in r.names():
                if len(r.shape(name)) == 2 and name in truth:
                    for s in solvers: run_one(r, name, s, truth[name], rand_iter, 1)
        for name in r.names():
            if len(r.shape(name)) != 2: continue
            if name not in truth: raise SystemExit(f"{path}: no truth for {name}; run svd_truth.py {path}")
            t = {"shape": list(r.shape(name)), "dtype": r.dtype(name), "stored_bytes": r.nbytes(name),
                 "truth_s1": truth[name]["s1"], "truth_s2": truth[name]["s2"], "solvers": {}}
            for s in solvers:
                t["solvers"][s] = run_one(r, name, s, truth[name], rand_iter, repeat)
                rec = t["solvers"][s]
                print(f"{s:10s} {name} {t['shape'][0]}x{t['shape'][1]}: {rec['seconds']:.3f} s"
                      + (f" {rec['error']}" if "error" in rec else
                         f" 1-|cos| v1 {1 - rec['cos_v1']:.1e} passes {rec.get('passes', '-')}"
                         + (f" (default failed; kmax {rec['kmax']})" if "default_error" in rec else "")),
                      file=sys.stderr, flush=True)
            res["tensors"][name] = t
    with open(out, "w") as f: json.dump(res, f, indent=1)


# ---- report --------------------------------------------------------------------------------------

def sci(x):
    return f"{x:.0e}" if x >= 1e-16 else "<1e-16"


def ok(rec):
    return rec is not None and "error" not in rec and "seconds" in rec


def family_table(fam, p, g, gv, bw):
    """Markdown lines for one family: peers JSON p, geocont JSON g, geocont vectors reader gv."""
    truth = svd_truth.load(p["file"])
    gbs = bw["GBps"] * 1e9
    cols = ["matrix", "shape", "s1/s2", "geocont s", "ARPACK s", "PROPACK s", "rand s", "best(A,P)/geocont",
            "1-\\|cos\\| v1 / u1: geocont", "ARPACK", "PROPACK", "rand", "passes G/A/P/R", "floor A/P/R s", "1 pass s"]
    lines = [f"### {fam} ({os.path.basename(p['file'])}{', best of ' + str(p['repeat']) if p.get('repeat', 1) > 1 else ''})",
             "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    tot = dict.fromkeys(["geocont"] + SOLVERS, 0.0)
    retried, notes, below, eff = {}, [], 0, []
    for name, t in p["tensors"].items():
        m, n = t["shape"]
        gt = g["tensors"].get(name)
        recs = {s: t["solvers"].get(s) for s in SOLVERS}
        secs = {"geocont": gt["seconds"] if ok(gt) else None}
        secs.update({s: recs[s]["seconds"] if ok(recs[s]) else None for s in SOLVERS})
        for k in tot: tot[k] += secs[k] or 0.0
        floors = {s: (t["stored_bytes"] + recs[s]["passes"] * 4 * m * n) / gbs if ok(recs[s]) and "passes" in recs[s] else None
                  for s in SOLVERS}
        row = [name, f"{m}x{n} {t['dtype']}", f"{t['truth_s1'] / t['truth_s2']:.4f}"]
        row.append("-" if gt is None else f"{gt['seconds']:.3f}" + (" (error)" if "error" in gt else ""))
        for s in SOLVERS:
            rec = recs[s]
            if rec is None: row.append("-"); continue
            cell = f"{rec['seconds']:.3f}" + (" (failed)" if "error" in rec else "")
            if floors[s] is not None and rec["seconds"] < floors[s]: cell += " \u2020"; below += 1
            if "default_error" in rec: cell += f" (kmax {rec['kmax']})"
            row.append(cell)
            if ok(rec) and rec.get("count_seconds"): eff.append((rec["passes"] * 4 * m * n / rec["count_seconds"] / 1e9, name, s))
        peer = [secs[s] for s in ("arpack", "propack") if secs[s] is not None]
        row.append(f"{min(peer) / secs['geocont']:.2f}" if peer and secs["geocont"] else "-")
        if secs["geocont"] is None or f"{name}.v1" not in gv.info: row.append("-")
        else:
            cv, cu = cosines(truth[name], gv.tensor(f"{name}.v1", np.float64)[0], gv.tensor(f"{name}.u1", np.float64)[0])
            row.append(f"{sci(1 - cv)} / {sci(1 - cu)}")
        for s in SOLVERS:
            row.append(f"{sci(1 - recs[s]['cos_v1'])} / {sci(1 - recs[s]['cos_u1'])}" if ok(recs[s]) else "-")
        gp = gt.get("passes") if gt else None
        row.append(" / ".join("?" if x is None else str(x) for x in
                              [gp] + [recs[s].get("passes") if ok(recs[s]) else None for s in SOLVERS]))
        row.append(" / ".join("-" if floors[s] is None else f"{floors[s]:.3f}" for s in SOLVERS))
        row.append(f"{t['stored_bytes'] / gbs:.4f}")
        lines.append("| " + " | ".join(row) + " |")
        for s in SOLVERS:
            rec = recs[s] or {}
            if "error" in rec: notes.append(f"{name} {s}: {rec['error']}")
            if "default_error" in rec: retried.setdefault(rec["kmax"], []).append(rec["default_seconds"])
        if gt and "error" in gt: notes.append(f"{name} geocont: {gt['error']}")
    if tot["geocont"]:
        lines.append(f"| **total** | | | {tot['geocont']:.2f} | {tot['arpack']:.2f} | {tot['propack']:.2f} | "
                     f"{tot['randomized']:.2f} | {min(tot['arpack'], tot['propack']) / tot['geocont']:.2f} |" + " |" * 7)
    lines += ["", "best(A,P)/geocont: the faster of ARPACK and PROPACK over geocont (> 1: geocont is faster); "
              "passes G/A/P/R: reads of the whole matrix by geocont (? until TopKPeer reports it), ARPACK, PROPACK, "
              "randomized; floor: (stored bytes + passes x float32 bytes) / bandwidth; 1 pass: stored bytes / bandwidth "
              "(one pass at stored width)", ""]
    for s in ("arpack", "propack"):
        mv = [t["solvers"][s]["matvec"] + t["solvers"][s]["rmatvec"] for t in p["tensors"].values() if ok(t["solvers"].get(s))
              and "matvec" in t["solvers"][s]]
        if mv: notes.append(f"{s}: {min(mv)}-{max(mv)} matvec + rmatvec per matrix (median {int(np.median(mv))})")
    r = next((t["solvers"]["randomized"] for t in p["tensors"].values() if ok(t["solvers"].get("randomized"))), None)
    if r: notes.append(f"randomized: {r['passes']} passes of an {r['block']}-column block (n_iter {r['n_iter']}, counted from sklearn's code)")
    if retried:
        notes.append(f"PROPACK's default (kmax = maxiter = 10 Lanczos steps for k=1) raised 'did not converge' on "
                     f"{sum(map(len, retried.values()))} of {len(p['tensors'])} matrices; the column shows the first kmax "
                     "that converged (" + ", ".join(f"kmax {k}: {len(v)}" for k, v in sorted(retried.items()))
                     + f"); the failed default runs took {sum(sum(v) for v in retried.values()):.3f} s in all, not counted")
    if below:
        notes.append(f"\u2020 {below} timings below their DRAM floor: the matrix (partly) stayed in the last-level cache "
                     "across passes, or the bandwidth measurement was disturbed by other load")
    if eff:
        e = max(eff)
        notes.append(f"highest effective bandwidth of a counting run: {e[0]:.1f} GB/s ({e[2]} on {e[1]}; passes x float32 bytes / seconds)")
    return lines + [f"- {x}" for x in notes]


def report(bw_path, specs, header_path=None):
    bw = json.load(open(bw_path))
    lines = []
    if header_path:
        h = json.load(open(header_path))
        lines += [f"- machine: {h['cpu']}, {h['nproc']} cores, {h['mem']}, L3 {h.get('l3', '?')}; load average before "
                  f"{h['load_before']}, after {' '.join(open('/proc/loadavg').read().split()[:3])}",
                  f"- date: {h['date']}; threads: 2 for everyone ({h['threads']})",
                  f"- versions: {h['java']}; {h['python_env']}"]
    runs = ", ".join(f"{r['when']}: sum {r['sum_GBps']:.1f}, gemv {r['gemv_GBps']:.1f}" for r in bw.get("runs", []))
    lines.append(f"- read bandwidth (floor uses the best): {bw['GBps']:.1f} GB/s ({runs}; 1 GiB float32, numpy sum on "
                 "1 thread, gemv on 2, best of 3 each)"
                 + (f"; a 64 MiB float32 gemv (cache-resident where the last-level cache is large) reads at "
                    f"{bw['gemv64MiB_GBps']:.1f} GB/s, best of 10" if bw.get("gemv64MiB_GBps") else ""))
    env_line = None
    for spec in specs:
        fam, files = spec.split("=", 1)
        peers_json, geo_json, geo_vec = files.split(",")
        p = json.load(open(peers_json))
        if env_line is None:
            tp = p["env"]["threadpool"]
            env_line = "- BLAS (threadpoolctl): " + ("; ".join(
                " ".join(str(x) for x in (t["internal_api"], t["version"], t["architecture"]) if x) + f" {t['num_threads']} threads"
                for t in tp) if isinstance(tp, list) else tp) + f"; env {p['env']['threads_env']}"
            lines.append(env_line)
        with Reader(geo_vec) as gv:
            lines += [""] + family_table(fam, p, json.load(open(geo_json)), gv, bw)
    print("\n".join(lines))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "bandwidth":
        b = bandwidth(); merge_bandwidth(args[0], b)
        print(f"read bandwidth: numpy sum {b['sum_GBps']:.1f} GB/s, gemv {b['gemv_GBps']:.1f} GB/s", file=sys.stderr)
    elif cmd == "run":
        solvers, rand_iter, repeat, warm, pos = SOLVERS, "auto", 1, True, []
        it = iter(args)
        for a in it:
            if a == "--solvers": solvers = next(it).split(",")
            elif a == "--rand-iter": rand_iter = next(it)
            elif a == "--repeat": repeat = int(next(it))
            elif a == "--no-warm-family": warm = False
            else: pos.append(a)
        try:
            import sklearn  # noqa: F401
        except ImportError:
            print("scikit-learn is not installed: randomized SVD skipped", file=sys.stderr)
            solvers = [s for s in solvers if s != "randomized"]
        run(pos[0], pos[1], solvers, rand_iter, repeat, warm)
    elif cmd == "report":
        header = None
        if "--header" in args:
            i = args.index("--header"); header = args[i + 1]; args = args[:i] + args[i + 2:]
        report(args[0], args[1:], header)
    else:
        raise SystemExit(__doc__)
