#!/usr/bin/env python3
"""Table of gemm-shapes.sh's raw JSON lines: per shape, GFLOP/s best / median over all rounds for
geocont and numpy on 1 and 2 threads, and the 2-thread ratios."""
import json, statistics, sys
from collections import defaultdict

rows, loads, extra = defaultdict(list), [], defaultdict(list)
order = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "load" in r: loads.append(r["load"]); continue
    if "threads" not in r: extra[r["shape"]].append(r); continue
    key = (r["shape"], r["impl"], r["threads"])
    if r["shape"] not in order: order.append(r["shape"])
    rows[key].append(r)
print(f"load average after each round: {', '.join(map(str, loads))}")
for shape, rs in extra.items():
    print(f"{shape}: best {min(r['best_us'] for r in rs)} us, median {statistics.median(r['median_us'] for r in rs)} us")
def cell(shape, impl, t):
    rs = rows.get((shape, impl, t))
    if not rs: return None, None, "-"
    b, m = max(r["gflops_best"] for r in rs), statistics.median(r["gflops_median"] for r in rs)
    return b, m, f"{b:.0f} / {m:.0f}"
print("| shape (m x n x k) | geocont 1T | geocont 2T | numpy 1T | numpy 2T | geocont 2T/1T (median) | geocont/numpy 2T (median) |")
print("|---|---|---|---|---|---|---|")
for shape in order:
    r0 = rows[(shape, "geocont", 1)][0]
    g1b, g1m, g1 = cell(shape, "geocont", 1); g2b, g2m, g2 = cell(shape, "geocont", 2)
    _, _, n1 = cell(shape, "numpy", 1); n2b, n2m, n2 = cell(shape, "numpy", 2)
    print(f"| {shape} ({r0['m']} x {r0['n']} x {r0['k']}) | {g1} | {g2} | {n1} | {n2} | "
          f"{g2m / g1m:.2f} | {g2m / n2m:.2f} |" if n2m else "")
