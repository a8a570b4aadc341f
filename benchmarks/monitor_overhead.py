#!/usr/bin/env python3
"""What the continuity monitor costs in geocont MLP runs, from the runs' own logs.

Usage: python3 benchmarks/monitor_overhead.py RUN_DIR [RUN_DIR ...]
  RUN_DIR: a folder holding log.jsonl (one geocont mlp run), or a folder of such folders.

Every epoch record carries train_seconds (the training steps, including the monitor's per-step
bookkeeping), monitor_step_seconds (that bookkeeping: flattened gradient cosines, the epoch and
cumulative gradient sums) and monitor_measure_seconds (the epoch's measurement: SVDs of the
hidden weights and gradient sums and every metric). Since the measurement runs on the monitor's
thread while the test set is evaluated, records also carry monitor_wait_seconds: how long the
epoch then waited for it, i.e. what the measurement cost the run in wall time. Epoch 0
(initialization, JIT warm-up) is left out. Prints per run and over all runs: measurement /
training time, waited / training time (where recorded) and bookkeeping / training time.
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


def summary(t):
    pct = lambda k: 100 * t[k] / t["train"]
    waited = f"  waited {t['wait']:6.2f} s ({pct('wait'):4.1f}%)" if t["wait"] > 0 else ""
    return (f"train {t['train']:7.2f} s  measure {t['measure']:6.2f} s ({pct('measure'):4.1f}%){waited}"
            f"  step bookkeeping {t['step']:6.2f} s ({pct('step'):4.1f}%)")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    tot = {"train": 0.0, "step": 0.0, "measure": 0.0, "wait": 0.0}
    n = 0
    for run in runs(argv[1:]):
        t = {"train": 0.0, "step": 0.0, "measure": 0.0, "wait": 0.0}
        for line in (run / "log.jsonl").read_text().splitlines():
            r = json.loads(line)
            if r.get("type") != "epoch" or r["epoch"] == 0:
                continue
            t["train"] += r["train_seconds"]
            t["step"] += r["monitor_step_seconds"]
            t["measure"] += r["monitor_measure_seconds"]
            t["wait"] += r.get("monitor_wait_seconds", 0.0)
        if t["train"] == 0:
            continue
        n += 1
        for k in tot:
            tot[k] += t[k]
        print(f"{run.name:28s} {summary(t)}")
    if n == 0:
        sys.exit("no epoch records with monitor timings found")
    print(f"{'all ' + str(n) + ' runs':28s} {summary(tot)}")


if __name__ == "__main__":
    main(sys.argv)
