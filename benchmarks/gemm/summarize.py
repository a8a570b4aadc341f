#!/usr/bin/env python3
"""Table of gemm-shapes.sh's raw JSON lines: per shape, GFLOP/s best / median over all rounds of
every implementation on 1 and 2 threads (best: the highest of all samples; median: the median of
the rounds' medians), and each one's 2-thread / 1-thread ratio of medians."""
import json, statistics, sys
from collections import defaultdict

rows, loads, extra, order, impls = defaultdict(list), [], defaultdict(list), [], []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "load" in r: loads.append(r["load"]); continue
    if r["impl"] not in impls: impls.append(r["impl"])
    if "threads" not in r: extra[(r["impl"], r["shape"])].append(r); continue
    if r["shape"] not in order: order.append(r["shape"])
    rows[(r["shape"], r["impl"], r["threads"])].append(r)
print(f"load average after each round: {', '.join(map(str, loads))}")
for (impl, shape), rs in extra.items():
    print(f"{impl} {shape}: best {min(r['best_us'] for r in rs)} us, median {statistics.median(r['median_us'] for r in rs)} us")
cols = [(i, t) for i in impls for t in (1, 2) if any(k[1] == i and k[2] == t for k in rows)]
print("| shape (m x n x k) | " + " | ".join(f"{i} {t}T" for i, t in cols) + " | " + " | ".join(f"{i} 2T/1T" for i in impls) + " |")
print("|---" * (1 + len(cols) + len(impls)) + "|")
for shape in order:
    any_r = next(rs[0] for k, rs in rows.items() if k[0] == shape)
    cells, med = [], {}
    for i, t in cols:
        rs = rows.get((shape, i, t), [])
        if not rs: cells.append("-"); continue
        b, m = max(r["gflops_best"] for r in rs), statistics.median(r["gflops_median"] for r in rs)
        med[(i, t)] = m
        cells.append(f"{b:.0f} / {m:.0f}")
    ratios = [f"{med[(i, 2)] / med[(i, 1)]:.2f}" if (i, 1) in med and (i, 2) in med else "-" for i in impls]
    print(f"| {shape} ({any_r['m']} x {any_r['n']} x {any_r['k']}) | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
