#!/usr/bin/env bash
# The whole `geocont analyze` run against the same job scripted in Python (analyze_script_peer.py:
# scipy svds with ARPACK and with PROPACK), each a fresh process timed from the shell, as a user
# meets them: JVM start and JIT included on one side, interpreter start and imports on the other.
# svd-peers.sh measures the solvers at steady state; this measures what one command costs.
#
#   benchmarks/cli-peers.sh              # MiniLM (ONNX, 36 matrices) and a 2-layer Llama-3.1-8B-shaped bf16 checkpoint
#   MODELS="minilm llama8b:8" ...        # llama8b:L: L layers of make_llama8b_shape.py (7 L matrices, 0.44 GB per layer)
#   ROUNDS=5 benchmarks/cli-peers.sh     # rounds, each running every tool once in turn (default 3)
#   MODELS=minilm benchmarks/cli-peers.sh
#
# Both sides read from the page cache (each file is read once before the rounds) and use 2 threads.
# geocont writes its four figures and the JSON; the script writes the JSON (no plotting library here).
# Output: a table on stdout and benchmarks/target/cli-peers/<timestamp>/ (every run's output and JSON).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/peer-env.sh"
peer_python
rounds="${ROUNDS:-3}"
read -r -a models <<<"${MODELS:-minilm llama8b:2}"
out="$here/target/cli-peers/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

declare -A path
for m in "${models[@]}"; do
  case "$m" in
    minilm) path[$m]="$here/target/families/all-minilm-l6-v2.onnx"; fetch_minilm "${path[$m]}" ;;
    llama8b:[0-9]*)
      layers="${m#llama8b:}" ckpt="$here/target/llama8b-shape-${m#llama8b:}"
      [[ -f "$ckpt/model.safetensors" ]] || python3 "$here/make_llama8b_shape.py" "$ckpt" "$layers" --stream >&2
      path[$m]="$ckpt/model.safetensors" ;;
    *) echo "cli-peers.sh: unknown model $m (minilm, llama8b:L)" >&2; exit 2 ;;
  esac
  cat "${path[$m]}" > /dev/null
done
"$root/geocont" --version >/dev/null 2>&1 || true  # builds the jar if it is missing or stale, outside the timings

peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 MKL_NUM_THREADS=2)
now() { date +%s.%N; }
# runs "$@" with its output in $log; a failed run stops the benchmark with its last lines, not silently
run_logged() {
  local log="$1"; shift
  "$@" >"$log" 2>&1 || { echo "cli-peers.sh: failed ($*), last lines of $log:" >&2; tail -20 "$log" >&2; exit 1; }
}
for r in $(seq "$rounds"); do
  for m in "${models[@]}"; do
    t0=$(now)
    run_logged "$out/$m-geocont-$r.txt" env GEOCONT_JVM_OPTS="-XX:ActiveProcessorCount=2 ${GEOCONT_JVM_OPTS:-}" \
      "$root/geocont" analyze "${path[$m]}" --backend cpu --out "$out/$m-geocont"
    echo "$m geocont $r $(echo "$(now) - $t0" | bc)" >>"$out/times.txt"
    for s in arpack propack; do
      t0=$(now)
      run_logged "$out/$m-$s-$r.txt" "${peer_env[@]}" "$py" "$here/analyze_script_peer.py" "${path[$m]}" "$s" "$out/$m-$s.json"
      echo "$m $s $r $(echo "$(now) - $t0" | bc)" >>"$out/times.txt"
    done
  done
done

"$py" - "$out" "${models[@]}" <<'PY'
import json, os, statistics, sys, time
out, models = sys.argv[1], sys.argv[2:]
times = {}
for line in open(os.path.join(out, "times.txt")):
    m, tool, r, s = line.split()
    times.setdefault((m, tool), []).append(float(s))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {cpu}, {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
      f"{len(times[(models[0], 'geocont')])} rounds; seconds per whole run, best / median\n")
print("| model | geocont | ARPACK script | PROPACK script | best script / geocont | geocont: solves / first solve | tables agree |")
print("|---|---|---|---|---|---|---|")
for m in models:
    g = json.load(open(os.path.join(out, f"{m}-geocont", "analysis.json")))
    solves = sum(sum(p["seconds"]) for p in g["projections"].values())
    first = next(iter(g["projections"].values()))["seconds"][0]
    agree = []
    for s in ("arpack", "propack"):
        p = json.load(open(os.path.join(out, f"{m}-{s}.json")))["projections"]
        worst = max(abs(p[k][side]["mean"] - g["projections"][k][side]["mean"]) for k in p for side in ("v1", "u1"))
        agree.append(f"{s} {worst:.0e}")
    cell = lambda tool: f"{min(times[(m, tool)]):.2f} / {statistics.median(times[(m, tool)]):.2f}"
    best_peer = min(min(times[(m, 'arpack')]), min(times[(m, 'propack')]))
    print(f"| {m} | {cell('geocont')} | {cell('arpack')} | {cell('propack')} | {best_peer / min(times[(m, 'geocont')]):.2f} "
          f"| {solves:.2f} / {first:.2f} s | max diff of the means: {', '.join(agree)} |")
PY
echo "(written to $out)" >&2
