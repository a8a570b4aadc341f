#!/usr/bin/env python3
"""Writes the top-k SVD benchmark matrices, one safetensors file per family, streaming tensor by
tensor (header with precomputed offsets first, then each tensor's bytes), so memory stays at one
matrix. Seeded: the same command writes the same bytes (powerlaw goes through LAPACK's QR, so
its last bits may differ between BLAS builds; svd_truth.py is computed from the file anyway).

    svd_families.py OUT_DIR [family ...] [--force]     (default: every family but minilm)

Families (tensors bf16 unless stated; shapes are Llama-3.1-8B's):
  spiked    make_llama8b_shape.py's 2-layer checkpoint (14 matrices): N(0, 0.02^2) + a rank-8
            spike 3.0 .. 1.3 x the noise edge; clear leading gap (s1/s2 ~ 1.15)
  gauss     plain N(0, 0.02^2), no spike, 4096x4096, 1024x4096, 14336x4096, 4096x14336: the hard
            case, s1/s2 ~ 1.002-1.01 at the Marchenko-Pastur edge
  gaussf32  the same draws as gauss stored as F32 (gauss is their bf16 rounding): stored width
  tied      noise + rank-2 spike of strengths 3.0 and 2.97 x the noise edge (orthonormal random
            directions): two nearly tied, well separated-from-the-bulk directions, same shapes
  powerlaw  Q1 diag(s) Q2^T with s_i ~ i^-0.3 (Q from QR of Gaussian blocks), 4096x4096 and
            1024x4096, scaled to rms 0.02: slowly decaying spectrum, s1/s2 = 2^0.3
  minilm    the real all-MiniLM-L6-v2 weights (F32, as shipped): every MatMul weight of the ONNX
            export (state-dict layout out x in, named by the module path) plus the 2-D float
            embedding/pooler initializers; needs --onnx PATH; uses the onnx package when it
            imports, else a small protobuf reader here (same output)
Each file's size is printed. Existing files are kept unless --force.
"""
import os, sys, time
import numpy as np
from safetensors_np import bf16_bytes, write_streaming
import make_llama8b_shape

SHAPES4 = [(4096, 4096), (1024, 4096), (14336, 4096), (4096, 14336)]
SIGMA = 0.02
SEEDS = {"gauss": 101, "gaussf32": 101, "tied": 102, "powerlaw": 103}
DEFAULT = ["spiked", "gauss", "gaussf32", "tied", "powerlaw"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def gauss_like(family, dtype):
    rng = np.random.default_rng(SEEDS[family])
    entries = [(f"{family}.{i}", dtype, s) for i, s in enumerate(SHAPES4)]

    def produce(i):
        m, n = SHAPES4[i]
        w = rng.standard_normal((m, n), dtype=np.float32)
        w *= SIGMA
        log(f"  {entries[i][0]} {m}x{n}")
        return bf16_bytes(w) if dtype == "BF16" else w.tobytes()
    meta = {"family": family, "noise": f"N(0, {SIGMA}^2)", "seed": SEEDS[family]}
    return entries, produce, meta


def tied():
    rng = np.random.default_rng(SEEDS["tied"])
    strengths = np.array([3.0, 2.97])
    entries = [(f"tied.{i}", "BF16", s) for i, s in enumerate(SHAPES4)]

    def produce(i):
        m, n = SHAPES4[i]
        w = rng.standard_normal((m, n), dtype=np.float32)
        w *= SIGMA
        edge = SIGMA * (np.sqrt(m) + np.sqrt(n))
        u = np.linalg.qr(rng.standard_normal((m, 2)))[0]
        v = np.linalg.qr(rng.standard_normal((n, 2)))[0]
        w += ((u * (strengths * edge)) @ v.T).astype(np.float32)
        log(f"  tied.{i} {m}x{n}")
        return bf16_bytes(w)
    meta = {"family": "tied", "noise": f"N(0, {SIGMA}^2)", "spike": "rank 2, 3.0 and 2.97 x sigma (sqrt m + sqrt n)",
            "seed": SEEDS["tied"]}
    return entries, produce, meta


def powerlaw(exponent=0.3):
    shapes = SHAPES4[:2]
    rng = np.random.default_rng(SEEDS["powerlaw"])
    entries = [(f"powerlaw.{i}", "BF16", s) for i, s in enumerate(shapes)]

    def produce(i):
        m, n = shapes[i]
        r = min(m, n)
        s = np.arange(1, r + 1, dtype=np.float64) ** -exponent
        s *= SIGMA * np.sqrt(m * n) / np.linalg.norm(s)  # ||W||_F = rms 0.02
        q1 = np.linalg.qr(rng.standard_normal((m, r)))[0]
        q2 = np.linalg.qr(rng.standard_normal((n, r)))[0]
        w = ((q1 * s) @ q2.T).astype(np.float32)
        del q1, q2
        log(f"  powerlaw.{i} {m}x{n}")
        return bf16_bytes(w)
    meta = {"family": "powerlaw", "spectrum": f"s_i ~ i^-{exponent}, Q1 diag(s) Q2^T, Q from QR of Gaussian blocks",
            "rms": SIGMA, "seed": SEEDS["powerlaw"]}
    return entries, produce, meta


# ---- MiniLM: ONNX initializers -> safetensors -------------------------------------------------

def onnx_graph(path):
    """(initializers {name: (dims, float32 array or None)}, nodes [(op, name, inputs, int attrs)])."""
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        return onnx_graph_by_hand(path)
    m = onnx.load(path)
    inits = {}
    for t in m.graph.initializer:
        a = numpy_helper.to_array(t)
        inits[t.name] = (list(t.dims), a if a.dtype.kind == "f" else None)
    nodes = [(n.op_type, n.name, list(n.input), {a.name: a.i for a in n.attribute}) for n in m.graph.node]
    return inits, nodes


def _fields(buf, pos=0, end=None):
    """Protobuf wire format: yields (field number, wire type, value) with value an int or a memoryview."""
    end = len(buf) if end is None else end
    def varint(p):
        r = s = 0
        while True:
            b = buf[p]; p += 1; r |= (b & 0x7F) << s; s += 7
            if b < 0x80: return r, p
    while pos < end:
        key, pos = varint(pos)
        f, wt = key >> 3, key & 7
        if wt == 0: v, pos = varint(pos)
        elif wt == 1: v, pos = buf[pos:pos + 8], pos + 8
        elif wt == 5: v, pos = buf[pos:pos + 4], pos + 4
        elif wt == 2:
            n, pos = varint(pos); v, pos = buf[pos:pos + n], pos + n
        else: raise ValueError(f"protobuf wire type {wt} not supported")
        yield f, wt, v


def _packed(v):
    out, p, b = [], 0, bytes(v)
    while p < len(b):
        r = s = 0
        while True:
            c = b[p]; p += 1; r |= (c & 0x7F) << s; s += 7
            if c < 0x80: break
        out.append(r)
    return out


def onnx_graph_by_hand(path):
    """The few ModelProto fields needed here (graph=7; GraphProto node=1, initializer=5; NodeProto
    input=1, name=3, op_type=4, attribute=5 (name=1, i=3); TensorProto dims=1, data_type=2,
    float_data=4, name=8, raw_data=9). FLOAT (1) and DOUBLE (11) tensors stored inline only."""
    buf = memoryview(open(path, "rb").read())
    graph = next(v for f, wt, v in _fields(buf) if f == 7)
    inits, nodes = {}, []
    for f, wt, v in _fields(graph):
        if f == 5:
            dims, dtype, name, raw, floats = [], None, "", None, []
            for g, gwt, x in _fields(v):
                if g == 1: dims += [x] if gwt == 0 else _packed(x)
                elif g == 2: dtype = x
                elif g == 8: name = bytes(x).decode()
                elif g == 9: raw = bytes(x)
                elif g == 4: floats += list(np.frombuffer(bytes(x), "<f4")) if gwt == 2 else [np.frombuffer(bytes(x), "<f4")[0]]
            a = None
            if dtype in (1, 11):
                a = np.frombuffer(raw, "<f4" if dtype == 1 else "<f8") if raw is not None else np.array(floats, np.float32)
                a = a.reshape(dims)
            inits[name] = (dims, a)
        elif f == 1:
            inputs, name, op, attrs = [], "", "", {}
            for g, gwt, x in _fields(v):
                if g == 1: inputs.append(bytes(x).decode())
                elif g == 3: name = bytes(x).decode()
                elif g == 4: op = bytes(x).decode()
                elif g == 5:
                    an, ai = "", 0
                    for h, hwt, y in _fields(x):
                        if h == 1: an = bytes(y).decode()
                        elif h == 3: ai = y - (1 << 64) if y >= 1 << 63 else y  # int64
                    attrs[an] = ai
            nodes.append((op, name, inputs, attrs))
    return inits, nodes


def minilm(onnx_path):
    inits, nodes = onnx_graph(onnx_path)
    tensors = {}  # name -> (initializer, transpose)
    used = set()
    for op, name, inputs, attrs in nodes:
        if op not in ("MatMul", "Gemm") or len(inputs) < 2 or inputs[1] not in inits: continue
        dims, a = inits[inputs[1]]
        if len(dims) != 2 or a is None: continue
        if not (name.startswith("/") and name.rsplit("/", 1)[1] in ("MatMul", "Gemm")): continue
        module = name[1:name.rfind("/")].replace("/", ".")
        transpose = op == "MatMul" or attrs.get("transB", 0) == 0  # MatMul stores in x out
        tensors[module + ".weight"] = (inputs[1], transpose)
        used.add(inputs[1])
    for iname, (dims, a) in inits.items():  # embeddings, pooler: already out x in (rows = tokens)
        if iname not in used and a is not None and len(dims) == 2 and min(dims) >= 16:
            tensors[iname] = (iname, False)
    names = list(tensors)
    shape = lambda nm: tuple(inits[tensors[nm][0]][0][::-1] if tensors[nm][1] else inits[tensors[nm][0]][0])
    entries = [(nm, "F32", shape(nm)) for nm in names]

    def produce(i):
        src, transpose = tensors[names[i]]
        a = inits[src][1].astype(np.float32)
        return np.ascontiguousarray(a.T if transpose else a).tobytes()
    meta = {"family": "minilm", "source": os.path.basename(onnx_path),
            "layout": "MatMul weights transposed to out x in, named by module path"}
    return entries, produce, meta


def build(family, onnx_path=None):
    if family in ("gauss", "gaussf32"): return gauss_like(family, "BF16" if family == "gauss" else "F32")
    if family == "tied": return tied()
    if family == "powerlaw": return powerlaw()
    if family == "minilm":
        if not onnx_path: raise SystemExit("minilm needs --onnx PATH (svd-peers.sh fetches it)")
        return minilm(onnx_path)
    raise SystemExit(f"unknown family {family}; known: {DEFAULT + ['minilm']}")


def main(argv):
    force = "--force" in argv
    onnx_path = None
    args = []
    it = iter(argv)
    for a in it:
        if a == "--force": continue
        elif a == "--onnx": onnx_path = next(it)
        else: args.append(a)
    out, families = args[0], args[1:] or DEFAULT
    os.makedirs(out, exist_ok=True)
    for fam in families:
        path = os.path.join(out, f"{fam}.safetensors")
        if os.path.exists(path) and not force:
            print(f"{fam}: {path} exists ({os.path.getsize(path) / 1e6:.1f} MB), kept")
            continue
        t0 = time.time()
        log(f"{fam}: writing {path}")
        if fam == "spiked":
            make_llama8b_shape.write_safetensors(path, 2, stream=True)  # atomic: path.tmp, then rename
        else:
            entries, produce, meta = build(fam, onnx_path)
            write_streaming(path, entries, produce, meta)
        print(f"{fam}: {path} {os.path.getsize(path) / 1e6:.1f} MB ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
