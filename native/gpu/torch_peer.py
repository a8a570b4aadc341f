#!/usr/bin/env python3
"""PyTorch peer of GpuBench (same ops, sizes and CSV format): eager mode, float32, TF32 off."""
import sys
import time

import torch


def bench(fn):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    reps, t0 = 0, time.perf_counter()
    while True:
        fn()
        reps += 1
        if reps % 5 == 0:
            torch.cuda.synchronize()
            if time.perf_counter() - t0 >= 1.0:
                break
    return (time.perf_counter() - t0) * 1e3 / reps


def main():
    if not torch.cuda.is_available():
        print("torch_peer: CUDA unavailable", file=sys.stderr)
        sys.exit(3)
    torch.backends.cuda.matmul.allow_tf32 = False
    dev = torch.device("cuda")
    print(f"# torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}")
    print("op,shape,ms_per_call,rate")
    n = 4096
    x = torch.full((n, n), 0.01, device=dev)
    y = torch.full((n, n), 0.02, device=dev)
    ms = bench(lambda: x @ y.T)
    print(f"sgemm_nt,{n}x{n}x{n},{ms:.4f},{2.0 * n ** 3 / ms / 1e9:.1f} TFLOP/s")
    rows, cols = 8192, 4096
    z = torch.zeros(rows, cols, device=dev)
    bias = torch.zeros(cols, device=dev)
    ms = bench(lambda: torch.nn.functional.gelu(z + bias))
    print(f"bias_act_gelu,{rows}x{cols},{ms:.4f},{12.0 * rows * cols / ms / 1e6:.0f} GB/s")

    def radial():
        h = z + bias
        r = h.norm(dim=1, keepdim=True)
        return torch.where(r > 0, torch.tanh(r) / r, torch.ones_like(r)) * h
    ms = bench(radial)
    print(f"bias_act_radial-tanh,{rows}x{cols},{ms:.4f},{12.0 * rows * cols / ms / 1e6:.0f} GB/s")
    ms = bench(lambda: torch.nn.functional.layer_norm(z, (cols,)))
    print(f"layernorm_fwd,{rows}x{cols},{ms:.4f},{8.0 * rows * cols / ms / 1e6:.0f} GB/s")
    params = 64 << 20
    p = torch.zeros(params, device=dev, requires_grad=True)
    p.grad = torch.zeros(params, device=dev)
    opt = torch.optim.AdamW([p], lr=1e-3, weight_decay=0.01, foreach=False, fused=True)
    ms = bench(opt.step)
    print(f"adamw,{params},{ms:.4f},{28.0 * params / ms / 1e6:.0f} GB/s")
    vecs = torch.zeros(32, 14336, device=dev)
    ms = bench(lambda: (vecs[:-1].double() * vecs[1:].double()).sum(dim=1).abs())
    print(f"adjacent_abs_cos,32x14336,{ms:.4f},{8.0 * 31 * 14336 / ms / 1e6:.0f} GB/s")


if __name__ == "__main__":
    main()
