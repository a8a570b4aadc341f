#!/usr/bin/env python3
"""Writes a bf16 safetensors checkpoint with Llama-3.1-8B's shapes (hidden 4096, 32 query heads,
8 KV heads of 128 -> K/V 1024x4096, intermediate 14336) but only a few layers, plus config.json.

The weights are synthetic: N(0, 0.02^2) noise plus a rank-8 spike whose leading input (reader
projections) or output (O, Down) direction is shared across layers, so the top singular vectors
are well defined (as in real weights) and continuity is non-trivial. numpy only.
"""
import json, os, sys
import numpy as np

def bf16_bytes(x):
    b = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    b = (b + 0x7FFF + ((b >> 16) & 1)) >> 16  # round to nearest even
    return b.astype(np.uint16).tobytes()

def main(out, layers):
    hidden, heads, kv, head_dim, ff = 4096, 32, 8, 128, 14336
    shapes = {"q": (heads * head_dim, hidden), "k": (kv * head_dim, hidden), "v": (kv * head_dim, hidden),
              "o": (hidden, heads * head_dim), "gate": (ff, hidden), "up": (ff, hidden), "down": (hidden, ff)}
    rng = np.random.default_rng(2026)
    shared = {p: rng.standard_normal(max(s)).astype(np.float32) for p, s in shapes.items()}
    os.makedirs(out, exist_ok=True)
    header, chunks, offset = {}, [], 0
    for l in range(layers):
        for p, (m, n) in shapes.items():
            w = rng.standard_normal((m, n), dtype=np.float32) * 0.02
            edge = 0.02 * (np.sqrt(m) + np.sqrt(n))
            strengths = edge * np.array([3.0, 2.6, 2.3, 2.1, 1.9, 1.7, 1.5, 1.3], dtype=np.float32)
            u = rng.standard_normal((m, 8)).astype(np.float32)
            v = rng.standard_normal((n, 8)).astype(np.float32)
            writes = p in ("o", "down")
            if writes: u[:, 0] = shared[p][:m]
            else: v[:, 0] = shared[p][:n]
            u /= np.linalg.norm(u, axis=0); v /= np.linalg.norm(v, axis=0)
            w += (u * strengths) @ v.T
            data = bf16_bytes(w)
            kind = "self_attn" if p in ("q", "k", "v", "o") else "mlp"
            name = f"model.layers.{l}.{kind}.{p}_proj.weight"
            header[name] = {"dtype": "BF16", "shape": [m, n], "data_offsets": [offset, offset + len(data)]}
            offset += len(data)
            chunks.append(data)
            print(f"generated {name} {m}x{n}", file=sys.stderr, flush=True)
    hjson = json.dumps(header).encode()
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(len(hjson).to_bytes(8, "little")); f.write(hjson)
        for c in chunks: f.write(c)
    cfg = {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "num_hidden_layers": layers, "hidden_size": hidden,
           "num_attention_heads": heads, "num_key_value_heads": kv, "head_dim": head_dim, "intermediate_size": ff,
           "torch_dtype": "bfloat16", "note": "synthetic weights with Llama-3.1-8B shapes (geocont benchmark)"}
    with open(os.path.join(out, "config.json"), "w") as f: json.dump(cfg, f, indent=1)

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2)
