#!/usr/bin/env python3
"""The whole `geocont analyze` job as a Python user would script it, timed from process start:
import numpy/scipy (and onnx for .onnx files), read every projection of every layer, the top-1
singular pair of each with scipy.sparse.linalg.svds, the mean |cos| of v1 and u1 of adjacent
layers per projection, a table on stdout and a JSON file. No figures (matplotlib is not on this
machine); geocont's run draws four. cli-peers.sh runs this beside `geocont analyze`.

    analyze_script_peer.py MODEL (.onnx or .safetensors) SOLVER (arpack|propack) OUT.json

ONNX: MatMul weights of /encoder/layer.N/... (BERT naming, stored in x out: transposed to
out x in). Safetensors: model.layers.N.{self_attn,mlp}.P_proj.weight, bf16 widened by a shift
(safetensors_np.Reader). PROPACK's default kmax (10 Lanczos steps for k=1) fails on close
spectra; like svd_peers.py this retries with kmax 20, 40, ... 2560 (the failed tries are counted).
"""
import time

T0 = time.time()
import json, os, re, sys
import numpy as np
import scipy.sparse.linalg as sla

BERT = {"attention/self/query": "q", "attention/self/key": "k", "attention/self/value": "v",
        "attention/output/dense": "o", "intermediate/dense": "up", "output/dense": "down"}
LLAMA = re.compile(r"model\.layers\.(\d+)\.(?:self_attn|mlp)\.(q|k|v|o|gate|up|down)_proj\.weight$")


def onnx_matrices(path):
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    inits = {t.name: t for t in m.graph.initializer}
    for n in m.graph.node:
        hit = re.match(r"/encoder/layer\.(\d+)/(.+)/MatMul$", n.name)
        if n.op_type == "MatMul" and hit and hit.group(2) in BERT and n.input[1] in inits:
            a = numpy_helper.to_array(inits[n.input[1]])
            yield int(hit.group(1)), BERT[hit.group(2)], lambda a=a: np.ascontiguousarray(a.T, dtype=np.float32)


def safetensors_matrices(path):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from safetensors_np import Reader
    r = Reader(path)
    for name in r.names():
        hit = LLAMA.match(name)
        if hit:
            yield int(hit.group(1)), hit.group(2), lambda name=name: r.tensor(name)


def top1(a, solver):
    rng = np.random.default_rng(0)
    if solver == "arpack":
        u, s, vt = sla.svds(a, k=1, solver="arpack", rng=rng)
        return vt[0], u[:, 0], 0
    failed, kmax = 0, None
    while True:
        try:
            u, s, vt = sla.svds(a, k=1, solver="propack", maxiter=kmax, rng=np.random.default_rng(0))
            return vt[0], u[:, 0], failed
        except Exception as e:  # "did not converge"
            if kmax == 2560: raise
            failed, kmax = failed + 1, 20 if kmax is None else 2 * kmax


def main():
    path, solver, out = sys.argv[1], sys.argv[2], sys.argv[3]
    source = onnx_matrices(path) if path.endswith(".onnx") else safetensors_matrices(path)
    vecs, failed = {}, 0
    for layer, proj, load in source:
        v, u, f = top1(load(), solver)
        failed += f
        vecs.setdefault(proj, {})[layer] = (v, u)
    result = {}
    print(f"{'proj':5} {'v1 mean':>8} {'u1 mean':>8}")
    for proj, by_layer in vecs.items():
        layers = sorted(by_layer)
        cv = [abs(float(by_layer[a][0] @ by_layer[b][0])) for a, b in zip(layers, layers[1:])]
        cu = [abs(float(by_layer[a][1] @ by_layer[b][1])) for a, b in zip(layers, layers[1:])]
        result[proj] = {"v1": {"mean": float(np.mean(cv)), "pairs": cv}, "u1": {"mean": float(np.mean(cu)), "pairs": cu}}
        print(f"{proj:5} {np.mean(cv):8.4f} {np.mean(cu):8.4f}")
    seconds = time.time() - T0
    json.dump({"model": os.path.basename(path), "solver": solver, "projections": result,
               "propack_retries": failed, "seconds_from_start": seconds}, open(out, "w"), indent=1)
    print(f"{solver}: {sum(len(b) for b in vecs.values())} matrices, {seconds:.2f} s from process start", file=sys.stderr)


if __name__ == "__main__":
    main()
