#!/usr/bin/env bash
# Benchmark `geocont analyze` (top-1 by fused subspace iteration) against numpy's full SVD on a
# bf16 checkpoint with Llama-3.1-8B's shapes, both in this one run, and check that the leading
# singular vectors agree. Usage: benchmarks/analyze-peer.sh [layers=2] [heap=4g]
# The checkpoint goes to benchmarks/target/llama8b-shape (ignored). Needs python3 + numpy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
layers="${1:-2}"; heap="${2:-4g}"
ckpt="$here/target/llama8b-shape"; out="$here/target/analyze-peer"
mkdir -p "$out"
if [ ! -f "$ckpt/model.safetensors" ] || ! grep -q "\"num_hidden_layers\": $layers," "$ckpt/config.json"; then
  python3 "$here/make_llama8b_shape.py" "$ckpt" "$layers"
fi
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%FT%TZ)"
echo "numpy $(python3 -c 'import numpy; print(numpy.__version__)'); java heap -Xmx$heap"
start=$(date +%s.%N)
GEOCONT_JVM_OPTS="-Xmx$heap" "$root/geocont" analyze "$ckpt" --topk 1 --json "$out/analysis.json" \
  --vectors "$out/vectors.safetensors" --out "$out"
echo "geocont analyze wall time (JVM start, mmap, bf16 conversion, all SVDs): $(echo "$(date +%s.%N) - $start" | bc) s"
python3 "$here/analyze_peer.py" "$ckpt" "$out/analysis.json" "$out/vectors.safetensors"
