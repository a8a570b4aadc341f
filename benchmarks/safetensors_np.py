"""Safetensors by hand with numpy (no safetensors/torch package): a streaming writer that keeps
one tensor in memory at a time, and an mmap reader that converts bf16 the way a numpy user does.

Format: 8-byte little-endian header length N, N bytes of JSON {name: {"dtype", "shape",
"data_offsets": [begin, end]}} (offsets relative to the end of the header, optional
"__metadata__": {str: str}), padded with spaces to a multiple of 8, then the tensors' bytes.
"""
import json, mmap, os
import numpy as np

ITEMSIZE = {"BF16": 2, "F16": 2, "F32": 4, "F64": 8}


def bf16_bytes(x):
    """float32 -> bf16 bytes, round to nearest even (same as make_llama8b_shape.bf16_bytes)."""
    b = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    b = (b + 0x7FFF + ((b >> 16) & 1)) >> 16
    return b.astype(np.uint16).tobytes()


def header_bytes(entries, metadata=None):
    """entries: [(name, dtype, shape)] in file order -> padded header JSON (offsets precomputed)."""
    header, offset = {}, 0
    if metadata: header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, dtype, shape in entries:
        size = ITEMSIZE[dtype] * int(np.prod(shape, dtype=np.int64))
        header[name] = {"dtype": dtype, "shape": [int(d) for d in shape], "data_offsets": [offset, offset + size]}
        offset += size
    hjson = json.dumps(header).encode()
    hjson += b" " * ((8 - len(hjson) % 8) % 8)
    return hjson, offset


def write_streaming(path, entries, produce, metadata=None):
    """Writes path atomically (path.tmp, then rename). entries: [(name, dtype, shape)];
    produce(i) returns the bytes of entry i and is called in order, so memory is one tensor."""
    hjson, total = header_bytes(entries, metadata)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(hjson).to_bytes(8, "little")); f.write(hjson)
        for i, (name, dtype, shape) in enumerate(entries):
            data = produce(i)
            want = ITEMSIZE[dtype] * int(np.prod(shape, dtype=np.int64))
            if len(data) != want: raise ValueError(f"{name}: produced {len(data)} bytes, header says {want}")
            f.write(data)
            del data
    os.replace(tmp, path)
    return 8 + len(hjson) + total


class Reader:
    """mmap over one safetensors file; tensor(name) returns float32 (bf16 widened by a shift)."""

    def __init__(self, path):
        self.path = path
        self._f = open(path, "rb")
        self._mm = mmap.mmap(self._f.fileno(), 0, access=mmap.ACCESS_READ)
        n = int.from_bytes(self._mm[:8], "little")
        h = json.loads(self._mm[8:8 + n])
        self.metadata = h.pop("__metadata__", {})
        self.info = h
        self.base = 8 + n

    def names(self):
        return list(self.info)

    def shape(self, name):
        return tuple(self.info[name]["shape"])

    def dtype(self, name):
        return self.info[name]["dtype"]

    def nbytes(self, name):
        b, e = self.info[name]["data_offsets"]
        return e - b

    def raw(self, name):
        t = self.info[name]
        b, e = t["data_offsets"]
        dt = {"BF16": np.uint16, "F16": np.float16, "F32": np.float32, "F64": np.float64}[t["dtype"]]
        return np.frombuffer(self._mm, dtype=dt, count=(e - b) // ITEMSIZE[t["dtype"]],
                             offset=self.base + b).reshape(t["shape"])

    def tensor(self, name, dtype=np.float32):
        """A new array in memory: bf16 -> float32 exactly (bits << 16), then to dtype (exact for f64)."""
        r = self.raw(name)
        if self.dtype(name) == "BF16":
            x = r.astype(np.uint32)
            x <<= 16
            x = x.view(np.float32)
            return x if dtype == np.float32 else x.astype(dtype)
        return np.array(r, dtype=dtype)

    def close(self):
        self._mm.close(); self._f.close()

    def __enter__(self): return self
    def __exit__(self, *a): self.close()
