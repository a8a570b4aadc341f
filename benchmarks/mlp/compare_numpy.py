#!/usr/bin/env python3
"""Times one quick-scale training epoch of `geocont mlp` (CPU backend) against the numpy peer
(numpy_peer.py: the same model, optimizer and data) in the same session, alternating runs, and
prints the best training-only seconds per epoch over epochs 2..E of each (epoch 1 holds JIT
warm-up) and their ratio. Continuity metrics are excluded on both sides (geocont's
train_seconds field). Usage, from the repository root after `mvn -DskipTests package`:

    python3 benchmarks/mlp/compare_numpy.py [--rounds 3] [--epochs 3]
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def geocont(epochs):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([os.path.join(ROOT, "geocont"), "mlp", "--epochs", str(epochs), "--out", out, "--quiet",
                        "--backend", "cpu"], check=True, stdout=subprocess.DEVNULL)
        r = json.load(open(os.path.join(out, "res-relu-sgd-s0", "result.json")))
        return [e["train_seconds"] for e in r["epochs"][2:]], r["final"]["test_acc"]


def peer(epochs, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    p = subprocess.run([sys.executable, os.path.join(HERE, "numpy_peer.py"), "--epochs", str(epochs)],
                       check=True, capture_output=True, text=True, env=env)
    rows = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    return [r["train_seconds"] for r in rows[1:]], rows[-1]["test_acc"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    a = ap.parse_args()
    best = {"geocont": 1e9, "numpy-1thread": 1e9, "numpy-2threads": 1e9}
    acc = {}
    for _ in range(a.rounds):
        for name in best:
            t, acc[name] = geocont(a.epochs) if name == "geocont" else peer(a.epochs, 1 if "1thread" in name else 2)
            best[name] = min(best[name], min(t))
    for name, t in best.items():
        print(f"{name:15s} best train seconds/epoch {t:.3f}  (last test acc {acc[name]:.3f})")
    for name in ("numpy-1thread", "numpy-2threads"):
        print(f"ratio {name} / geocont = {best[name] / best['geocont']:.2f}")


if __name__ == "__main__":
    main()
