#!/usr/bin/env python3
"""Driver of benchmarks/train-peers.sh (run that): alternating rounds of geocont, numpy and PyTorch
eager / torch.compile on the quick MLP epoch and the quick transformer step, then best and median
per implementation and the ratios. Every figure is wall-clock training time only: MLP epochs
S+1..E of every implementation (--skip-epochs S, default 1: epoch 1 holds JIT warm-up or
compilation; geocont's JIT keeps compiling for ~10 quick epochs, so S 8 of E 16 gives the steady
state); transformer steps after the first 10 (geocont: the 5-step windows of its log, from step
10; peers: single steps after 10 warm-up steps). --parts mlp or tf runs one of the two.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GEOCONT = os.path.join(ROOT, "geocont")
TOKENS = 32 * 64
# per step of the quick MLP (batch 128): input 2*128*784*128, 12 blocks 2*128^3, readout 2*128*128*10,
# backward twice the block and readout flops and once the input layer's (no gradient for the data)
MLP_FLOPS_STEP = 2 * 128 * 128 * (784 + 12 * 128 + 10) + 2 * 2 * 128 * 128 * (12 * 128 + 10) + 2 * 128 * 784 * 128
MLP_FLOPS_EPOCH = MLP_FLOPS_STEP * 8000 / 128
# quick transformer: rows 2048, d 128, ff 512, 6 layers, 4 heads x 32, t 64, vocab 256; backward = 2x forward
_layer = 4 * 2 * 2048 * 128 * 128 + 3 * 2 * 2048 * 128 * 512 + 2 * 2 * (32 * 4) * 64 * 64 * 32
TF_FLOPS_STEP = 3 * (6 * _layer + 2 * 2048 * 128 * 256)


def load():
    return open("/proc/loadavg").read().split()[0]


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return p.stdout


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.startswith("{")]


def geocont_cli(jar=None):
    """jar: another build's geocont-all.jar (BASELINE_JAR), run by BASELINE_JAVA (a JDK 25+) with the launcher's flags."""
    return [GEOCONT] if jar is None else [os.environ.get("BASELINE_JAVA", "java"), "--add-modules", "jdk.incubator.vector",
                                          "--enable-native-access=ALL-UNNAMED", "-jar", jar]


def geocont_mlp(epochs, skip, jar=None):
    cli = geocont_cli(jar)
    with tempfile.TemporaryDirectory() as d:
        run(cli + ["mlp", "--epochs", str(epochs), "--out", d, "--quiet", "--backend", "cpu"])
        r = json.load(open(os.path.join(d, "res-relu-sgd-s0", "result.json")))
        return [e["train_seconds"] for e in r["epochs"][1 + skip:]], r["final"]["test_acc"]   # epochs[0]: the measurement before training


def peer_mlp(py, script, args, env, epochs, skip):
    rows = json_lines(run([py, os.path.join(HERE, "..", script), "--epochs", str(epochs)] + args, env))
    return [r["train_seconds"] for r in rows[skip:]], rows[-1]["test_acc"]


def geocont_tf(steps, jar=None):
    with tempfile.TemporaryDirectory() as d:
        run(geocont_cli(jar) + ["transformer", "--steps", str(steps), "--log-every", "5", "--eval-every", "1000000",
             "--checkpoint-every", "1000000", "--out", d, "--backend", "cpu"])
        tr = [json.loads(l) for l in open(os.path.join(d, "log.jsonl")) if '"train"' in l]
        by = {r["step"]: r for r in tr}
        ws = [(by[s]["elapsed_s"] - by[s - 5]["elapsed_s"]) / 5 for s in sorted(by) if s > 10 and s - 5 in by]
        return ws, tr[-1]["loss"]


def peer_tf(py, mode, steps):
    r = json_lines(run([py, os.path.join(HERE, "torch_transformer.py"), "--mode", mode, "--steps", str(steps),
                        "--warmup", "10", "--threads", "2", "--per-step"]))[0]
    return r["step_seconds"], r["last_loss"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--skip-epochs", type=int, default=1)
    ap.add_argument("--parts", default="mlp,tf")
    a = ap.parse_args()
    skip = a.skip_epochs
    if not 0 <= skip < a.epochs:
        raise SystemExit(f"--skip-epochs {skip} leaves none of {a.epochs} epochs")
    parts = a.parts.split(",")
    two = {"OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}
    mlp = {
        "geocont (CPU backend, with coherence bookkeeping)": lambda: geocont_mlp(a.epochs, skip),
        **({f"geocont baseline {os.environ['BASELINE_JAR']}": lambda: geocont_mlp(a.epochs, skip, os.environ["BASELINE_JAR"])}
           if os.environ.get("BASELINE_JAR") else {}),
        "numpy float32, 2 threads": lambda: peer_mlp(sys.executable, "mlp/numpy_peer.py", [], two, a.epochs, skip),
        "torch eager, 2 threads": lambda: peer_mlp(a.python, "train/torch_mlp.py", ["--mode", "eager"], two, a.epochs, skip),
        "torch.compile, 2 threads": lambda: peer_mlp(a.python, "train/torch_mlp.py", ["--mode", "compile"], two, a.epochs, skip),
    }
    tf = {
        "geocont (CPU backend)": lambda: geocont_tf(a.steps),
        **({f"geocont baseline {os.environ['BASELINE_JAR']}": lambda: geocont_tf(a.steps, os.environ["BASELINE_JAR"])}
           if os.environ.get("BASELINE_JAR") else {}),
        "torch eager, 2 threads": lambda: peer_tf(a.python, "eager", a.steps),
        "torch.compile, 2 threads": lambda: peer_tf(a.python, "compile", a.steps),
    }
    res = {"mlp": {k: [] for k in mlp}, "tf": {k: [] for k in tf}}
    last = {}
    log = open(os.path.join(a.out, "runs.jsonl"), "w")
    for rnd in range(a.rounds):
        for part, table in (("mlp", mlp), ("tf", tf)):
            if part not in parts:
                continue
            for name, fn in table.items():
                l0 = load()
                times, quality = fn()
                res[part][name] += times
                last[(part, name)] = quality
                rec = {"round": rnd + 1, "part": part, "impl": name, "times": times, "quality": quality, "load_before": l0,
                       "load_after": load()}
                log.write(json.dumps(rec) + "\n"); log.flush()
                print(f"round {rnd + 1} {part:3s} {name:50s} best {min(times):.3f} s  load {l0} -> {rec['load_after']}",
                      file=sys.stderr, flush=True)
    lines = []
    if "mlp" in parts:
        lines += [f"MLP epoch ({MLP_FLOPS_EPOCH / 1e9:.2f} GFLOP of GEMMs; training steps only; epochs {skip + 1}..{a.epochs}, "
                  f"{a.rounds} rounds)", "",
                  "| implementation | best s / epoch | median | GFLOP/s (best) | last test acc | fastest peer / this (best) |",
                  "|---|---|---|---|---|---|"]
        peers = [k for k in mlp if not k.startswith("geocont")]
        fastest = min(min(res["mlp"][k]) for k in peers)
        for k in mlp:
            t = res["mlp"][k]
            lines.append(f"| {k} | {min(t):.3f} | {statistics.median(t):.3f} | {MLP_FLOPS_EPOCH / min(t) / 1e9:.0f} | "
                         f"{last[('mlp', k)]:.3f} | {fastest / min(t):.2f} |")
        lines.append("")
    if "tf" in parts:
        lines += [f"Transformer step ({TF_FLOPS_STEP / 1e9:.1f} GFLOP; {TOKENS} tokens)", "",
                  "| implementation | best s / step | median | tokens/s (best) | GFLOP/s (best) | last train loss | this / torch.compile tokens/s (best) |",
                  "|---|---|---|---|---|---|---|"]
        comp = min(res["tf"]["torch.compile, 2 threads"])
        for k in tf:
            t = res["tf"][k]
            lines.append(f"| {k} | {min(t):.3f} | {statistics.median(t):.3f} | {TOKENS / min(t):.0f} | "
                         f"{TF_FLOPS_STEP / min(t) / 1e9:.0f} | {last[('tf', k)]:.3f} | {comp / min(t):.2f} |")
    text = "\n".join(lines)
    print(text)
    open(os.path.join(a.out, "summary.md"), "w").write(text + "\n")


if __name__ == "__main__":
    main()
