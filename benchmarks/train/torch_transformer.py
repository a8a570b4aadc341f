#!/usr/bin/env python3
"""PyTorch peer of the quick `geocont transformer` step: byte-level Llama-style decoder, d 128,
6 layers, 4 heads (RoPE theta 1e4 on adjacent pairs), SwiGLU d_ff 512, RMSNorm pre-norm (eps 1e-5),
untied head, N(0, 0.02^2) init, AdamW (betas 0.9/0.95, eps 1e-8, decay 0.1 on matrices), global
clip 1.0, linear warm-up over steps/20 then cosine to 0.1 x lr 1e-3 (geocont's schedule), batch 32 x 64 bytes from random windows of the embedded Brown slice; float32 on the CPU.
Attention is torch's fused scaled_dot_product_attention (causal), what a PyTorch user would write.

    python torch_transformer.py --mode eager|compile [--steps 40] [--threads 2]

Prints one JSON line: per-step seconds (best and median after --warmup steps), tokens/s, first and
last loss.
"""
import argparse, gzip, json, math, os, statistics, time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = os.path.join(HERE, "..", "..", "src", "main", "resources", "io", "geocont", "data", "brown-slice.txt.gz")


class RMSNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.g = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.g


def rope(x, cos, sin):  # x [b, h, t, hd]; rotates pairs (2i, 2i+1)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, d, h, ff):
        super().__init__()
        self.h = h
        self.n1, self.n2 = RMSNorm(d), RMSNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d, bias=False) for _ in range(4))
        self.gate, self.up = nn.Linear(d, ff, bias=False), nn.Linear(d, ff, bias=False)
        self.down = nn.Linear(ff, d, bias=False)

    def forward(self, x, cos, sin):
        b, t, d = x.shape
        xn = self.n1(x)
        q, k, v = (p(xn).view(b, t, self.h, d // self.h).transpose(1, 2) for p in (self.q, self.k, self.v))
        a = F.scaled_dot_product_attention(rope(q, cos, sin), rope(k, cos, sin), v, is_causal=True)
        x = x + self.o(a.transpose(1, 2).reshape(b, t, d))
        xn = self.n2(x)
        return x + self.down(F.silu(self.gate(xn)) * self.up(xn))


class Model(nn.Module):
    def __init__(self, vocab=256, d=128, layers=6, h=4, ff=512, seq=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, h, ff) for _ in range(layers))
        self.norm = RMSNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        hd = d // h
        ang = torch.arange(seq)[:, None] * (10000.0 ** (-2.0 * torch.arange(hd // 2) / hd))[None, :]
        self.register_buffer("cos", torch.cos(ang), persistent=False)
        self.register_buffer("sin", torch.sin(ang), persistent=False)
        for p in self.parameters():
            if p.dim() == 2: nn.init.normal_(p, std=0.02)

    def forward(self, tok, tgt):
        x = self.emb(tok)
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin)
        logits = self.head(self.norm(x))
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["eager", "compile"], default="eager")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-step", action="store_true", help="also print every timed step's seconds")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    data = torch.frombuffer(bytearray(gzip.open(TEXT).read()), dtype=torch.uint8).long()
    train = data[: int(len(data) * 0.95)]
    batch, seq = 32, 64
    model = Model(seq=seq)
    decay = [p for p in model.parameters() if p.dim() == 2]
    other = [p for p in model.parameters() if p.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    loss_fn = torch.compile(model) if a.mode == "compile" else model
    gen = torch.Generator().manual_seed(a.seed)
    warmup = a.steps // 20   # geocont's default schedule: linear warm-up, cosine to 0.1 x peak

    def lr_at(s):
        if warmup > 0 and s <= warmup: return 1e-3 * s / warmup
        progress = 1 if a.steps == warmup else (s - warmup) / (a.steps - warmup)
        return 1e-4 + (1e-3 - 1e-4) * 0.5 * (1 + math.cos(math.pi * min(1, progress)))
    times, losses = [], []
    for step in range(a.steps):
        for grp in opt.param_groups: grp["lr"] = lr_at(step + 1)
        starts = torch.randint(0, len(train) - seq - 1, (batch,), generator=gen)
        win = torch.stack([train[s:s + seq + 1] for s in starts.tolist()])
        t0 = time.perf_counter()
        loss = loss_fn(win[:, :-1], win[:, 1:])
        opt.zero_grad(set_to_none=False)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        times.append(time.perf_counter() - t0)
        losses.append(float(loss.detach()))
    t = times[a.warmup:]
    extra = {"step_seconds": t} if a.per_step else {}
    print(json.dumps({**extra, "mode": a.mode, "torch": torch.__version__, "threads": a.threads, "best_s": min(t),
                      "median_s": statistics.median(t), "tokens_per_s_best": batch * seq / min(t),
                      "first_loss": losses[0], "last_loss": losses[-1], "steps": a.steps}), flush=True)


if __name__ == "__main__":
    main()
