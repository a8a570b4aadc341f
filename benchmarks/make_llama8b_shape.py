#!/usr/bin/env python3
"""Writes a bf16 safetensors checkpoint with Llama-3.1-8B's shapes (hidden 4096, 32 query heads,
8 KV heads of 128 -> K/V 1024x4096, intermediate 14336) but only a few layers, plus config.json.

The weights are synthetic: N(0, 0.02^2) noise plus a rank-8 spike whose leading input (reader
projections) or output (O, Down) direction is shared across layers, so the top singular vectors
are well defined (as in real weights) and continuity is non-trivial. numpy only.

    make_llama8b_shape.py OUT_DIR [layers=2] [--stream]

--stream writes the header first (offsets are known from the shapes) and then each tensor as it
is generated, so memory stays at one matrix (a 32-layer, 16 GB checkpoint fits in ~1.5 GB);
the bytes are identical to the default in-memory mode for the same layer count.
"""
import json, os, sys
import numpy as np
from safetensors_np import bf16_bytes, header_bytes, write_streaming

HIDDEN, HEADS, KV, HEAD_DIM, FF = 4096, 32, 8, 128, 14336
SHAPES = {"q": (HEADS * HEAD_DIM, HIDDEN), "k": (KV * HEAD_DIM, HIDDEN), "v": (KV * HEAD_DIM, HIDDEN),
          "o": (HIDDEN, HEADS * HEAD_DIM), "gate": (FF, HIDDEN), "up": (FF, HIDDEN), "down": (HIDDEN, FF)}


def layout(layers):
    """[(name, dtype, shape)] in file order."""
    out = []
    for l in range(layers):
        for p, shape in SHAPES.items():
            kind = "self_attn" if p in ("q", "k", "v", "o") else "mlp"
            out.append((f"model.layers.{l}.{kind}.{p}_proj.weight", "BF16", shape))
    return out


def generate(layers):
    """Yields each tensor's bf16 bytes in file order (one random stream: the order is the format)."""
    rng = np.random.default_rng(2026)
    shared = {p: rng.standard_normal(max(s)).astype(np.float32) for p, s in SHAPES.items()}
    for l in range(layers):
        for p, (m, n) in SHAPES.items():
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
            del w
            print(f"generated layer {l} {p}_proj {m}x{n}", file=sys.stderr, flush=True)
            yield data


def write_safetensors(path, layers, stream=False):
    entries = layout(layers)
    if stream:
        gen = generate(layers)
        return write_streaming(path, entries, lambda i: next(gen))
    chunks = list(generate(layers))
    hjson, _ = header_bytes(entries)
    with open(path, "wb") as f:
        f.write(len(hjson).to_bytes(8, "little")); f.write(hjson)
        for c in chunks: f.write(c)
    return os.path.getsize(path)


def main(out, layers, stream):
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "model.safetensors"), layers, stream)
    cfg = {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "num_hidden_layers": layers, "hidden_size": HIDDEN,
           "num_attention_heads": HEADS, "num_key_value_heads": KV, "head_dim": HEAD_DIM, "intermediate_size": FF,
           "torch_dtype": "bfloat16", "note": "synthetic weights with Llama-3.1-8B shapes (geocont benchmark)"}
    with open(os.path.join(out, "config.json"), "w") as f: json.dump(cfg, f, indent=1)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--stream"]
    main(args[0], int(args[1]) if len(args) > 1 else 2, "--stream" in sys.argv[1:])
