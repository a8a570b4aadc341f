#!/usr/bin/env python3
"""Writes the GGUF test fixtures with llama.cpp's own Python package (gguf-py) and numpy.

The Java tests read only the files this writes (committed beside it); they never run Python.
Regenerate from the repository root with exactly:

    python3 -m venv /tmp/ggvenv && /tmp/ggvenv/bin/pip install --no-index \
        --find-links /opt/pypi/files --find-links /opt/pypi-more/files gguf==0.19.0 numpy
    /tmp/ggvenv/bin/python src/test/resources/gguf/make_fixtures.py

Outputs (all seeded, so a rerun writes the same bytes):
  types.gguf          one 6 x 512 tensor per readable type (F32, F16, BF16, Q8_0, Q4_0, Q4_1,
                      Q5_0, Q5_1, Q2_K..Q6_K) plus metadata of every GGUF value type;
  types/<T>.npy       gguf.quants.dequantize() of tensor t.<T>: the reference geocont must match;
  llama-tiny/         a 3-layer Llama-shaped Hugging Face folder (config.json + F16 safetensors);
  llama-tiny-*.gguf   that folder converted the way convert_hf_to_gguf.py does it (names mapped
                      to blk.N.*, Q and K rows permuted per head for llama.cpp's rope, norms
                      kept F32), as F16, Q8_0 and a Q4_0/Q4_1/Q5_0/Q5_1 mix.
"""
import json
import struct
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import quantize, dequantize

HERE = Path(__file__).resolve().parent
ROWS, COLS = 6, 512


# ---------------------------------------------------------------- per-type dequantization fixtures

def source_values(rng):
    """Rows on different scales (1e-2 .. 10), one run of zeros: exercises d = 0 blocks."""
    x = rng.standard_normal((ROWS, COLS)).astype(np.float32)
    x *= (10.0 ** rng.uniform(-2, 1, size=(ROWS, 1))).astype(np.float32)
    x[5, :64] = 0
    return x


# Where the f16 super-block factors sit in each K-quant block (byte offsets): d, then dmin if any.
K_FACTORS = {T.Q2_K: (80, 82), T.Q3_K: (108,), T.Q4_K: (0, 2), T.Q5_K: (0, 2), T.Q6_K: (208,)}


def random_k_blocks(rng, qtype):
    """gguf-py cannot quantize K-quants: random codes and scales with finite random f16 factors."""
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(ROWS, COLS // block, size), dtype=np.uint8)
    for i, at in enumerate(K_FACTORS[qtype]):
        f = (np.abs(rng.standard_normal(raw.shape[:2])) * 0.02 + 1e-3).astype(np.float16)
        if i == 0:
            f *= rng.choice(np.array([-1, 1], dtype=np.float16), size=f.shape)  # d may be negative
        raw[:, :, at:at + 2] = f.view(np.uint8).reshape(*f.shape, 2)
    return raw.reshape(ROWS, -1)


def write_types(rng):
    x = source_values(rng)
    w = gguf.GGUFWriter(str(HERE / "types.gguf"), "fixture")
    w.add_custom_alignment(64)  # not the default 32: the reader must honour general.alignment
    w.add_uint8("fixture.u8", 200)
    w.add_int8("fixture.i8", -100)
    w.add_uint16("fixture.u16", 60000)
    w.add_int16("fixture.i16", -30000)
    w.add_uint32("fixture.u32", 4000000000)
    w.add_int32("fixture.i32", -2000000000)
    w.add_float32("fixture.f32", 1.5)
    w.add_bool("fixture.bool", True)
    w.add_string("fixture.string", "h\u00e9llo \u2713")
    w.add_uint64("fixture.u64", 2 ** 63 + 5)
    w.add_int64("fixture.i64", -(2 ** 40))
    w.add_float64("fixture.f64", 0.1)
    w.add_array("fixture.array.i32", [1, -2, 3])
    w.add_array("fixture.array.f32", [0.5, -0.25])
    w.add_array("fixture.array.bool", [True, False, True])
    w.add_array("fixture.array.str", ["a", "bc", ""])
    w.add_key_value("fixture.array.nested", [[1, 2], [3]], gguf.GGUFValueType.ARRAY)
    w.add_key_value("fixture.array.big", bytes(range(256)) * 300, gguf.GGUFValueType.ARRAY)  # 76800 > kept limit
    refs = {}
    for qtype in (T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1):
        data = x if qtype == T.F32 else x.astype(np.float16) if qtype == T.F16 else quantize(x, qtype)
        w.add_tensor("t." + qtype.name, data, raw_dtype=None if qtype in (T.F32, T.F16) else qtype)
        refs[qtype.name] = dequantize(data, qtype)
    for qtype in K_FACTORS:
        data = random_k_blocks(rng, qtype)
        w.add_tensor("t." + qtype.name, data, raw_dtype=qtype)
        refs[qtype.name] = dequantize(data, qtype)
    w.add_tensor("norm.weight", x[0].copy())  # 1-D: read as one row
    w.add_tensor("t.F32_3d", x[:2, :96].reshape(2, 3, 32).copy())  # 3-D: not a weight matrix
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    (HERE / "types").mkdir(exist_ok=True)
    for name, ref in refs.items():
        assert ref.shape == (ROWS, COLS) and ref.dtype == np.float32 and np.isfinite(ref).all(), name
        np.save(HERE / "types" / (name + ".npy"), ref)


# ---------------------------------------------------------------- a Llama-shaped model, safetensors -> GGUF

LAYERS, HIDDEN, HEADS, KV_HEADS, FF, VOCAB = 3, 64, 4, 2, 128, 32
HEAD_DIM = HIDDEN // HEADS
# How strongly each projection's planted direction is shared across layers (readers of the
# residual stream on the input side, writers on the output side): a table with some spread.
SHARING = {"q": 0.95, "k": 0.9, "v": 0.7, "o": 0.9, "gate": 0.85, "up": 0.8, "down": 0.75}
WRITERS = {"o", "down"}


def unit(rng, n):
    v = rng.standard_normal(n)
    return v / np.linalg.norm(v)


def llama_weights(rng):
    shapes = {"q": (HIDDEN, HIDDEN), "k": (KV_HEADS * HEAD_DIM, HIDDEN), "v": (KV_HEADS * HEAD_DIM, HIDDEN),
              "o": (HIDDEN, HIDDEN), "gate": (FF, HIDDEN), "up": (FF, HIDDEN), "down": (HIDDEN, FF)}
    shared = {p: unit(rng, s[0] if p in WRITERS else s[1]) for p, s in shapes.items()}
    t = {"model.embed_tokens.weight": rng.standard_normal((VOCAB, HIDDEN)) * 0.5}
    for l in range(LAYERS):
        for p, (out, inp) in shapes.items():
            a = SHARING[p]
            side = shared[p] * a + unit(rng, len(shared[p])) * np.sqrt(1 - a * a)
            side /= np.linalg.norm(side)
            other = unit(rng, inp if p in WRITERS else out)
            u, v = (side, other) if p in WRITERS else (other, side)
            m = 3.0 * np.outer(u, v) + 0.05 * rng.standard_normal((out, inp))
            group = "self_attn" if p in ("q", "k", "v", "o") else "mlp"
            t[f"model.layers.{l}.{group}.{p}_proj.weight"] = m
        t[f"model.layers.{l}.input_layernorm.weight"] = 1 + 0.1 * rng.standard_normal(HIDDEN)
        t[f"model.layers.{l}.post_attention_layernorm.weight"] = 1 + 0.1 * rng.standard_normal(HIDDEN)
    t["model.norm.weight"] = 1 + 0.1 * rng.standard_normal(HIDDEN)
    t["lm_head.weight"] = rng.standard_normal((VOCAB, HIDDEN)) * 0.5
    return {k: v.astype(np.float16) for k, v in t.items()}


def write_safetensors(path, tensors):
    header, data = {}, bytearray()
    for name, a in tensors.items():
        header[name] = {"dtype": "F16", "shape": list(a.shape), "data_offsets": [len(data), len(data) + a.nbytes]}
        data += a.tobytes()
    h = json.dumps(header, separators=(",", ":")).encode()
    path.write_bytes(struct.pack("<Q", len(h)) + h + bytes(data))


def read_safetensors(path):
    b = path.read_bytes()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    dt = {"F16": np.float16, "F32": np.float32}
    return {k: np.frombuffer(b[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], dtype=dt[v["dtype"]])
            .reshape(v["shape"]) for k, v in header.items() if k != "__metadata__"}


def permute(w, n_head, n_head_kv):
    """convert_hf_to_gguf.py's LlamaModel.permute: HF's rotate-half row order -> llama.cpp's interleaved one."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


GGUF_NAMES = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
              "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
              "mlp.down_proj": "ffn_down", "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm"}


def gguf_name(hf):
    if hf == "model.embed_tokens.weight": return "token_embd.weight"
    if hf == "model.norm.weight": return "output_norm.weight"
    if hf == "lm_head.weight": return "output.weight"
    _, _, layer, rest = hf.split(".", 3)
    return f"blk.{layer}.{GGUF_NAMES[rest.removesuffix('.weight')]}.weight"


# Types for the mixed file, by GGUF tensor kind (llama.cpp's legacy Q4 files mix types like this).
MIX = {"attn_q": T.Q4_0, "attn_k": T.Q4_0, "attn_v": T.Q5_1, "attn_output": T.Q4_0, "ffn_gate": T.Q4_1,
       "ffn_up": T.Q4_1, "ffn_down": T.Q5_0, "token_embd": T.Q4_0, "output": T.Q8_0}
FILE_TYPES = {"f16": 1, "q8_0": 7, "q4mix": 2}  # llama_ftype: MOSTLY_F16, MOSTLY_Q8_0, MOSTLY_Q4_0


def write_gguf_model(hf, variant):
    w = gguf.GGUFWriter(str(HERE / f"llama-tiny-{variant}.gguf"), "llama")
    w.add_name("llama-tiny")
    w.add_block_count(LAYERS)
    w.add_context_length(128)
    w.add_embedding_length(HIDDEN)
    w.add_feed_forward_length(FF)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_vocab_size(VOCAB)
    w.add_file_type(FILE_TYPES[variant])
    w.add_tokenizer_model("llama")
    w.add_token_list(["<unk>", "<s>", "</s>"] + [f"tok{i}" for i in range(VOCAB - 3)])
    w.add_token_scores([0.0] * 3 + [-float(i) for i in range(VOCAB - 3)])
    w.add_token_types([2, 3, 3] + [1] * (VOCAB - 3))
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    for name, a in hf.items():
        if name.endswith("q_proj.weight"):
            a = permute(a, HEADS, HEADS)
        elif name.endswith("k_proj.weight"):
            a = permute(a, HEADS, KV_HEADS)
        g = gguf_name(name)
        if a.ndim == 1:  # the converter keeps norms in F32
            w.add_tensor(g, a.astype(np.float32))
        elif variant == "f16":
            w.add_tensor(g, a)
        else:
            qtype = T.Q8_0 if variant == "q8_0" else MIX[g.split(".")[-2]]
            w.add_tensor(g, quantize(a.astype(np.float32), qtype), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write_llama(rng):
    folder = HERE / "llama-tiny"
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text(json.dumps({
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "num_hidden_layers": LAYERS,
        "hidden_size": HIDDEN, "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS,
        "intermediate_size": FF, "vocab_size": VOCAB, "rms_norm_eps": 1e-5, "torch_dtype": "float16"}, indent=1) + "\n")
    write_safetensors(folder / "model.safetensors", llama_weights(rng))
    hf = read_safetensors(folder / "model.safetensors")  # convert from the file, as the converter does
    for variant in FILE_TYPES:
        write_gguf_model(hf, variant)


if __name__ == "__main__":
    write_types(np.random.default_rng(20261201))
    write_llama(np.random.default_rng(14))
    print("wrote", sorted(str(p.relative_to(HERE)) for p in HERE.rglob("*") if p.is_file() and p.suffix != ".py"))
