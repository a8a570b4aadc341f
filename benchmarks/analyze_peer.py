#!/usr/bin/env python3
"""Peer for `geocont analyze`: reads the same safetensors checkpoint with numpy alone (bf16 -> f32),
times numpy's full SVD (np.linalg.svd, float32, compute_uv=True, full_matrices=False) of every
projection, and compares the leading singular vectors with geocont's (--vectors file, float64).

usage: analyze_peer.py CHECKPOINT_DIR GEOCONT_JSON GEOCONT_VECTORS [peer_layers]
(peer_layers > 0: numpy decomposes only the first peer_layers layers of each projection, to save time)
PEER=torch in the environment swaps numpy for torch.linalg.svd on the GPU (float32, synchronized,
one warm-up call first), the peer for `geocont analyze --backend cuda`.
"""
import json, sys, time
import numpy as np

def read_safetensors(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    mm = np.memmap(path, dtype=np.uint8, mode="r")
    def get(name):
        t = header[name]; b, e = t["data_offsets"]; raw = mm[8 + n + b: 8 + n + e]
        if t["dtype"] == "BF16": x = (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
        elif t["dtype"] == "F32": x = raw.view(np.float32)
        elif t["dtype"] == "F64": x = raw.view(np.float64)
        else: raise ValueError(t["dtype"])
        return x.reshape(t["shape"])
    return header, get

def full_svd():
    """The peer's full SVD: numpy (LAPACK gesdd) or, with PEER=torch, torch.linalg.svd on the GPU."""
    import os
    if os.environ.get("PEER") != "torch":
        return "numpy", lambda w: np.linalg.svd(w, full_matrices=False, compute_uv=True)
    import torch
    def svd(w):
        t = torch.from_numpy(np.ascontiguousarray(w)).cuda()
        torch.cuda.synchronize()
        u, s, vt = torch.linalg.svd(t, full_matrices=False)
        torch.cuda.synchronize()
        return u.cpu().numpy(), s.cpu().numpy(), vt.cpu().numpy()
    svd(np.random.default_rng(0).standard_normal((256, 128)).astype(np.float32))  # warm-up: cuSOLVER init
    return f"torch {torch.__version__} on {torch.cuda.get_device_name()}", svd

def main(ckpt, gjson, gvec, limit):
    peer_name, peer_svd = full_svd()
    print(f"peer: {peer_name}", flush=True)
    header, weight = read_safetensors(f"{ckpt}/model.safetensors")
    _, vec = read_safetensors(gvec)
    result = json.load(open(gjson))
    rows, done = [], 0
    for p, info in result["projections"].items():
        kind = "self_attn" if p in ("q", "k", "v", "o") else "mlp"
        for i, gsec in enumerate(info["seconds"]):
            gcpu = info.get("cpu_seconds", [float("nan")] * len(info["seconds"]))[i]
            if limit and i >= limit: break
            l = result["layer_range"][0] + i
            w = np.array(weight(f"model.layers.{l}.{kind}.{p}_proj.weight"), dtype=np.float32)
            t0, c0 = time.perf_counter(), time.process_time()
            u, s, vt = peer_svd(w)
            t, c = time.perf_counter() - t0, time.process_time() - c0
            gu, gv, gs = vec(f"layers.{l}.{p}.u")[0], vec(f"layers.{l}.{p}.v")[0], vec(f"layers.{l}.{p}.s")[0, 0]
            cu, cv = abs(float(np.dot(u[:, 0], gu))), abs(float(np.dot(vt[0], gv)))
            rows.append((l, p, w.shape, gsec, t, cv, cu, gs, s[0], s[1], gcpu, c))
            done += 1
            print(f"layer {l} {p:5s} {w.shape[0]:5d}x{w.shape[1]:<5d} wall: geocont {gsec:7.3f} s numpy {t:8.3f} s ({t / gsec:6.1f}x)  "
                  f"cpu: geocont {gcpu:7.3f} s numpy {c:8.3f} s ({c / gcpu:6.1f}x)  "
                  f"|cos| v1 {cv:.6f} u1 {cu:.6f}  s1 {gs:.4f}/{s[0]:.4f} (s2 {s[1]:.4f})", flush=True)
    g = sum(r[3] for r in rows); n = sum(r[4] for r in rows); gc = sum(r[10] for r in rows); nc = sum(r[11] for r in rows)
    k = len(rows)
    print(f"TOTAL {k} matrices: wall geocont {g:.2f} s ({g / k:.3f} s/matrix), numpy {n:.2f} s ({n / k:.3f} s/matrix), "
          f"ratio {n / g:.1f}x; cpu geocont {gc:.2f} s, numpy {nc:.2f} s, ratio {nc / gc:.1f}x; "
          f"min |cos| v1 {min(r[5] for r in rows):.6f} u1 {min(r[6] for r in rows):.6f}")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
