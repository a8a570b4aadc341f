"""Writes the PyTorch checkpoint fixtures of TorchStoreTest & co. with torch.save itself.

The tests read the committed outputs and never need PyTorch. To regenerate (from the repository root):

    python3.11 -m venv .cache/venv-torch
    .cache/venv-torch/bin/pip install --no-index --find-links /opt/pypi/files \
        filelock typing_extensions setuptools sympy networkx jinja2 fsspec numpy safetensors
    .cache/venv-torch/bin/pip install --no-deps /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
    .cache/venv-torch/bin/python src/test/resources/torch/make_fixtures.py

Every value is chosen so a Java test can recompute it exactly (see value()).
"""
import collections
import json
import os
import pickle
import shutil
import zipfile
from pathlib import Path

import torch
from safetensors.torch import save_file

HERE = Path(__file__).resolve().parent


def value(rows, cols, dtype=torch.float32):
    """v[i, j] = ((i * cols + j) % 17 - 8) / 4: exact in float16 and bfloat16 too."""
    i = torch.arange(rows * cols, dtype=torch.float64)
    return (((i % 17) - 8) / 4).reshape(rows, cols).to(dtype)


def dtypes():
    sd = collections.OrderedDict()
    sd["f32"] = value(3, 4, torch.float32)
    sd["f16"] = value(3, 4, torch.float16)
    sd["bf16"] = value(3, 4, torch.bfloat16)
    sd["f64"] = value(3, 4, torch.float64)
    sd["vec"] = value(1, 5).reshape(5)
    sd["i64"] = torch.arange(5, dtype=torch.int64)
    sd["cube"] = value(2, 6).reshape(2, 3, 2)
    torch.save(sd, HERE / "dtypes.pt")


def views():
    """Views of one 4 x 6 storage: all share data/0; only 'base' is contiguous from offset 0."""
    base = value(4, 6)
    torch.save({"base": base, "t": base.t(), "row": base[2], "cols": base[:, 1:4], "step": base[::2, ::3],
                "tied": base}, HERE / "views.pt")


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(1)
        self.fc1 = torch.nn.Linear(4, 3)
        self.fc2 = torch.nn.Linear(3, 2, bias=False)


def nested():
    """Training checkpoints: {"model": state_dict, "optimizer": ...} and Lightning's {"state_dict": ...}."""
    m = Tiny()
    opt = torch.optim.Adam(m.parameters(), lr=0.1)
    loss = m.fc2(m.fc1(torch.ones(1, 4))).sum()
    loss.backward()
    opt.step()
    torch.save({"epoch": 3, "model": m.state_dict(), "optimizer": opt.state_dict(), "args": {"lr": 0.1, "name": "tiny"}},
               HERE / "nested-model.pt")
    torch.save({"state_dict": m.state_dict(), "pytorch-lightning_version": "2.5.0", "hyper_parameters": {"hidden": 3}},
               HERE / "nested-state_dict.pt")


def protocol5():
    """Newer torch paths: pickle protocol 5 (FRAME, MEMOIZE, STACK_GLOBAL), an nn.Parameter, and dtypes
    without a legacy storage class (_rebuild_tensor_v3 over torch.storage.UntypedStorage)."""
    torch.save({"w": torch.nn.Parameter(value(2, 3)), "f8": value(2, 2).to(torch.float8_e4m3fn),
                "u16": torch.tensor([0, 1, 2], dtype=torch.int32).to(torch.uint16)}, HERE / "protocol5.pt", pickle_protocol=5)


def llama_state_dict(layers=3, hidden=64, heads=4, kv_heads=2, ff=128, vocab=32):
    """A Llama-named model whose readers (q, k, v, gate, up) share an input direction across layers and
    whose writers (o, down) share an output direction, on top of small noise; lm_head is tied."""
    g = torch.Generator().manual_seed(20260523)
    head_dim = hidden // heads
    shared_in = torch.randn(hidden, generator=g)
    shared_out = torch.randn(hidden, generator=g)
    shared_in /= shared_in.norm()
    shared_out /= shared_out.norm()
    sd = collections.OrderedDict()
    sd["model.embed_tokens.weight"] = torch.randn(vocab, hidden, generator=g) * 0.02
    for l in range(layers):
        def reader(out):
            u = torch.randn(out, generator=g)
            return 0.02 * torch.randn(out, hidden, generator=g) + 0.5 * torch.outer(u / u.norm(), shared_in)

        def writer(inp):
            v = torch.randn(inp, generator=g)
            return 0.02 * torch.randn(hidden, inp, generator=g) + 0.5 * torch.outer(shared_out, v / v.norm())

        p = f"model.layers.{l}."
        sd[p + "self_attn.q_proj.weight"] = reader(heads * head_dim)
        sd[p + "self_attn.k_proj.weight"] = reader(kv_heads * head_dim)
        sd[p + "self_attn.v_proj.weight"] = reader(kv_heads * head_dim)
        sd[p + "self_attn.o_proj.weight"] = writer(heads * head_dim)
        sd[p + "mlp.gate_proj.weight"] = reader(ff)
        sd[p + "mlp.up_proj.weight"] = reader(ff)
        sd[p + "mlp.down_proj.weight"] = writer(ff)
        sd[p + "input_layernorm.weight"] = torch.ones(hidden)
        sd[p + "post_attention_layernorm.weight"] = torch.ones(hidden)
    sd["model.norm.weight"] = torch.ones(hidden)
    sd = collections.OrderedDict((k, v.to(torch.bfloat16)) for k, v in sd.items())
    sd["lm_head.weight"] = sd["model.embed_tokens.weight"]  # tied: one storage, two names
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "num_hidden_layers": layers,
              "hidden_size": hidden, "num_attention_heads": heads, "num_key_value_heads": kv_heads,
              "intermediate_size": ff, "vocab_size": vocab, "torch_dtype": "bfloat16", "tie_word_embeddings": True}
    return sd, config


def llama():
    sd, config = llama_state_dict()
    for name in ["llama-bin", "llama-st", "llama-sharded"]:
        d = HERE / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
        (d / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    torch.save(sd, HERE / "llama-bin" / "pytorch_model.bin")
    untied = collections.OrderedDict((k, v.clone()) for k, v in sd.items())  # safetensors refuses shared tensors
    save_file(untied, str(HERE / "llama-st" / "model.safetensors"), metadata={"format": "pt"})
    # Sharded the way transformers' save_pretrained does it: layer 0 in the first shard, the rest in the second.
    shards = [collections.OrderedDict(), collections.OrderedDict()]
    for k, v in sd.items():
        shards[0 if k.startswith("model.layers.0.") or k.startswith("model.embed") else 1][k] = v
    weight_map = {}
    for i, s in enumerate(shards):
        fn = f"pytorch_model-{i + 1:05d}-of-{len(shards):05d}.bin"
        torch.save(s, HERE / "llama-sharded" / fn)
        weight_map.update({k: fn for k in s})
    total = sum(v.numel() * v.element_size() for v in untied.values())
    (HERE / "llama-sharded" / "pytorch_model.bin.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2) + "\n")


def many():
    """80 small tensors and an alias of the last: the memo passes 256 entries, so the pickle uses
    LONG_BINPUT, and the alias is a LONG_BINGET of the memoized tensor."""
    sd = collections.OrderedDict((f"layers.{i}.w", value(1, 2) + i) for i in range(80))
    sd["alias"] = sd["layers.79.w"]
    torch.save(sd, HERE / "many.pt")


def legacy():
    # (its storage keys come from id(), so each run writes different bytes)
    torch.save({"w": value(2, 2)}, HERE / "legacy.pt", _use_new_zipfile_serialization=False)


def torchscript():
    torch.manual_seed(0)
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), HERE / "torchscript.pt")


class RunsShell:
    """Unpickling this with Python's pickle runs a shell command; geocont must refuse it unread."""

    def __reduce__(self):
        return os.system, ("touch geocont-pwned",)


class Evaluates:
    def __reduce__(self):
        return eval, ("__import__('os').system('touch geocont-pwned')",)


def malicious():
    # A torch.save-shaped archive whose data.pkl calls os.system (pickled as posix.system on Linux).
    evil = pickle.dumps({"w": RunsShell()}, protocol=2)
    assert b"posix" in evil
    with zipfile.ZipFile(HERE / "malicious-os-system.pt", "w", zipfile.ZIP_STORED) as z:
        for name, data in [("archive/data.pkl", evil), ("archive/byteorder", b"little"), ("archive/version", b"3\n")]:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data)
    # A bare pickle (protocol 4: STACK_GLOBAL) calling builtins.eval.
    (HERE / "malicious-eval.pkl").write_bytes(pickle.dumps(Evaluates(), protocol=4))


if __name__ == "__main__":
    dtypes()
    views()
    nested()
    protocol5()
    llama()
    many()
    legacy()
    torchscript()
    malicious()
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"fixtures in {HERE}: {total} bytes with torch {torch.__version__}")
