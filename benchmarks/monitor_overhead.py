#!/usr/bin/env python3
"""What the continuity monitor costs in geocont MLP runs, from the runs' own logs.

Usage: python3 benchmarks/monitor_overhead.py RUN_DIR [RUN_DIR ...]
  RUN_DIR: a folder holding log.jsonl (one geocont mlp run), or a folder of such folders.

Every epoch record carries train_seconds (the training steps, including the monitor's per-step
bookkeeping), monitor_step_seconds (that bookkeeping: flattened gradient cosines, the epoch and
cumulative gradient sums) and monitor_measure_seconds (the epoch's measurement: SVDs of the
hidden weights and gradient sums and every metric). Epoch 0 (initialization, JIT warm-up) is
left out. Prints per run and over all runs: measurement / training time and bookkeeping /
training time.
"""
import json
import sys
from pathlib import Path


def runs(paths):
    for p in map(Path, paths):
        if (p / "log.jsonl").is_file():
            yield p
        else:
            yield from sorted(q.parent for q in p.glob("*/log.jsonl"))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    tot = {"train": 0.0, "step": 0.0, "measure": 0.0}
    n = 0
    for run in runs(argv[1:]):
        t = {"train": 0.0, "step": 0.0, "measure": 0.0}
        for line in (run / "log.jsonl").read_text().splitlines():
            r = json.loads(line)
            if r.get("type") != "epoch" or r["epoch"] == 0:
                continue
            t["train"] += r["train_seconds"]
            t["step"] += r["monitor_step_seconds"]
            t["measure"] += r["monitor_measure_seconds"]
        if t["train"] == 0:
            continue
        n += 1
        for k in tot:
            tot[k] += t[k]
        print(f"{run.name:28s} train {t['train']:7.2f} s  measure {t['measure']:6.2f} s ({100 * t['measure'] / t['train']:4.1f}%)"
              f"  step bookkeeping {t['step']:6.2f} s ({100 * t['step'] / t['train']:4.1f}%)")
    if n == 0:
        sys.exit("no epoch records with monitor timings found")
    print(f"{'all ' + str(n) + ' runs':28s} train {tot['train']:7.2f} s  measure {tot['measure']:6.2f} s ({100 * tot['measure'] / tot['train']:4.1f}%)"
          f"  step bookkeeping {tot['step']:6.2f} s ({100 * tot['step'] / tot['train']:4.1f}%)")


if __name__ == "__main__":
    main(sys.argv)
