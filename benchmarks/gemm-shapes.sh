#!/usr/bin/env bash
# GEMM speed per shape of a quick MLP / transformer step: geocont's CPU backend on 1 and 2
# threads against np.matmul (OpenBLAS) on 1 and 2 threads, alternating rounds in one run, with
# the load average; also the cost of a trivial parallel loop after the pool idled. Needs
# target/classes (mvn -q -o -B -DskipTests compile). OLD=<classes dir of another build> adds that
# build to the same JVM, samples alternating with this one's (an A/B under the same load).
#
#   ROUNDS=3 REPS=15 benchmarks/gemm-shapes.sh
#   SAMPLE_MS=1 REPS=60 benchmarks/gemm-shapes.sh     # on a loaded machine: best-of finds quiet moments
#   OLD=/tmp/main-build/target/classes benchmarks/gemm-shapes.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
java="${JAVA:-$(ls /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}"
out="$here/target/gemm-shapes/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
for r in $(seq "${ROUNDS:-3}"); do
  echo "== round $r, load $(cut -d' ' -f1 /proc/loadavg)" >&2
  "$java" --add-modules jdk.incubator.vector -Dsample.ms="${SAMPLE_MS:-5}" "$here/gemm/GemmShapes.java" "${REPS:-15}" "new=$root/target/classes" \
    ${OLD:+"old=$OLD"} 2>/dev/null >> "$out/raw.jsonl"
  for t in 1 2; do OPENBLAS_NUM_THREADS=$t python3 "$here/gemm/gemm_shapes.py" "${REPS:-15}" >> "$out/raw.jsonl"; done
  echo "{\"load\": $(cut -d' ' -f1 /proc/loadavg)}" >> "$out/raw.jsonl"
done
python3 "$here/gemm/summarize.py" "$out/raw.jsonl"
