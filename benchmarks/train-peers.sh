#!/usr/bin/env bash
# Training speed of the CPU backend against numpy and PyTorch (eager and torch.compile) on the
# same cores in one run: the quick MLP epoch (geocont's with its per-step coherence bookkeeping)
# and the quick transformer step. Alternating rounds; prints best and median and the ratios.
#
#   benchmarks/train-peers.sh                 # 3 rounds
#   ROUNDS=5 EPOCHS=4 STEPS=40 benchmarks/train-peers.sh
#   EPOCHS=16 SKIP_EPOCHS=8 PARTS=mlp benchmarks/train-peers.sh   # the MLP's steady state: epochs 9..16 of each
#   SKIP_BUILD=1 benchmarks/train-peers.sh    # reuse target/geocont-all.jar
#   BASELINE_JAR=old/geocont-all.jar BASELINE_JAVA=<jdk25>/bin/java benchmarks/train-peers.sh   # + that build's MLP epoch and transformer step
#
# The PyTorch venv is built once under benchmarks/target/torch-venv from local wheels, no
# network: torch 2.14.1 (the CUDA build; it runs on the CPU) with --no-deps, the nvidia_* wheels
# beside it, and torch.compile's pure-Python dependencies from the local wheel folders.
# Output: the table on stdout and benchmarks/target/train-peers/<timestamp>/ (raw JSON lines).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$here/target/torch-venv"
wheels="${TORCH_WHEELS:-/opt/pypi-more/files}"
deps="${DEP_WHEELS:-/opt/pypi/files}"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  echo "== building $venv from local wheels" >&2
  python3 -m venv --system-site-packages "$venv"   # numpy comes from the system python
  pick() { ls "$1"/$2 2>/dev/null | sort -V | tail -1; }
  "$venv/bin/pip" install -q --no-index --no-deps "$(pick "$wheels" 'torch-2.14.1-*.whl')" "$wheels"/nvidia_*.whl \
    "$(pick "$deps" 'filelock-*.whl')" "$(pick "$deps" 'fsspec-*.whl')" "$(pick "$deps" 'jinja2-*.whl')" \
    "$(pick "$deps" 'markupsafe-*cp311*.whl')" "$(pick "$deps" 'mpmath-1.3*.whl')" "$(pick "$deps" 'networkx-*.whl')" \
    "$(pick "$deps" 'sympy-*.whl')" "$(pick "$deps" 'typing_extensions-*.whl')"
fi
if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building geocont (mvn -DskipTests package)" >&2
  (cd "$root" && mvn -q -o -B -DskipTests package)
fi
out="$here/target/train-peers/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
exec python3 "$here/train/train_peers.py" --python "$venv/bin/python" --out "$out" \
  --rounds "${ROUNDS:-3}" --epochs "${EPOCHS:-4}" --steps "${STEPS:-40}" \
  --skip-epochs "${SKIP_EPOCHS:-1}" --parts "${PARTS:-mlp,tf}"
