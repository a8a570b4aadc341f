#!/usr/bin/env bash
# Peer benchmark of geocont's top-k SVD (issue 12, item 6): for every matrix of each family, the
# end-to-end time (read the tensor from safetensors + top-1 SVD) of geocont (TopKPeer: today
# SafetensorsStore.readOperand (bf16, f16, f32 read in place) + Svds.topK(1)) and of scipy ARPACK, scipy PROPACK and sklearn's
# randomized SVD on float32 (svd_peers.py), all in this one run, 2 threads each, with the
# accuracy of every answer against a float64 truth (svd_truth.py) and the passes over memory.
#
#   benchmarks/svd-peers.sh                       # all families
#   benchmarks/svd-peers.sh gauss minilm          # some: spiked gauss gaussf32 tied powerlaw minilm
#   SKIP_BUILD=1 benchmarks/svd-peers.sh ...      # reuse target/benchmarks.jar
#   SOLVERS=arpack,propack RAND_ITER=auto ...     # peers to run / randomized_svd n_iter
#   REPEAT=3 benchmarks/svd-peers.sh ...          # time everything 3 times, keep the best (default 1)
#
# Generated matrices and their truths are cached under benchmarks/target/families (ignored;
# ~2.2 GB; regenerate with svd_families.py --force, truths follow the file's mtime/size).
# Output: the tables on stdout and benchmarks/target/svd-peers/<timestamp>/ (summary.md, JSON,
# geocont's vectors). Needs python3 with numpy + scipy; scikit-learn, threadpoolctl and onnx
# come into a venv (target/venv) from local wheel folders when there are any (/opt/pypi/files,
# /opt/pypi-more/files and any in PIP_FIND_LINKS); without scikit-learn the randomized column
# is skipped, without onnx the MiniLM export is read by svd_families.py's own protobuf reader.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
families=("$@")
[[ ${#families[@]} -eq 0 ]] && families=(spiked gauss gaussf32 tied powerlaw minilm)
data="$here/target/families"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/target/svd-peers/$stamp"
mkdir -p "$data" "$out"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

find_java() {
  for j in "${JAVA25:-}" "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*25*/bin/java "$(command -v java || true)"; do
    [[ -n "$j" && -x "$j" ]] || continue
    v="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    [[ -n "$v" && "$v" -ge 25 ]] && { echo "$j"; return; }
  done
  echo "svd-peers.sh: no Java 25+ found (set JAVA25=/path/to/bin/java)" >&2; exit 2
}
java="$(find_java)"

# --- python: system numpy/scipy, extras into a venv from local wheels if available ---
source "$here/peer-env.sh"
peer_python
# 2 threads for everyone; these host-specific OpenBLAS overrides are dropped for the peers' timing only
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 MKL_NUM_THREADS=2)
jvm=("$java" -Xmx6g -XX:ActiveProcessorCount=2 --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)

# --- build (as cpu-peers.sh: library installed from the root, then the benchmarks jar) ---
if [[ -z "${SKIP_BUILD:-}" || ! -f "$here/target/benchmarks.jar" ]]; then
  echo "== building (root: mvn -DskipTests install; benchmarks: mvn -DskipTests package of a fresh jar)" >&2
  (cd "$root" && { mvn -B -q -o -DskipTests install || mvn -B -q -DskipTests install; }) >&2
  # the jars go first: otherwise the jar plugin keeps the previous shaded benchmarks.jar when no
  # benchmark class changed, and the shade plugin then prefers its stale copies of geocont's
  # classes (not mvn clean: target/ also holds the generated families, their truths and the venv)
  rm -f "$here/target/benchmarks.jar" "$here/target/original-benchmarks.jar"
  (cd "$here" && { mvn -B -q -o -DskipTests package || mvn -B -q -DskipTests package; }) >&2
fi

# --- data: generate what is missing, truth for each file ---
onnx_args=()
for f in "${families[@]}"; do
  [[ "$f" == minilm ]] || continue
  onnx="$data/all-minilm-l6-v2.onnx"
  fetch_minilm "$onnx"
  onnx_args=(--onnx "$onnx")
done
echo "== families: ${families[*]} (generated when missing, in $data)" >&2
OPENBLAS_NUM_THREADS=2 "$py" "$here/svd_families.py" "$data" "${families[@]}" "${onnx_args[@]}" | tee "$out/sizes.txt" >&2
for f in "${families[@]}"; do
  OPENBLAS_NUM_THREADS=2 "$py" "$here/svd_truth.py" "$data/$f.safetensors"
done

echo "== read bandwidth (start)" >&2
"${peer_env[@]}" "$py" "$here/svd_peers.py" bandwidth "$out/bandwidth.json"
repeat="${REPEAT:-1}"

specs=()
for f in "${families[@]}"; do
  file="$data/$f.safetensors"
  cat "$file" > /dev/null  # both sides start from the page cache
  echo "== $f: geocont TopKPeer" >&2
  "${jvm[@]}" -Dgeocont.peer.repeat="$repeat" -cp "$here/target/benchmarks.jar" io.geocont.benchmarks.TopKPeer "$file" "$out/$f-geocont.json" "$out/$f-geocont-vectors.safetensors" 1
  echo "== $f: peers (${SOLVERS:-arpack,propack,randomized})" >&2
  "${peer_env[@]}" "$py" "$here/svd_peers.py" run "$file" "$out/$f-peers.json" \
    --solvers "${SOLVERS:-arpack,propack,randomized}" --rand-iter "${RAND_ITER:-auto}" --repeat "$repeat"
  specs+=("$f=$out/$f-peers.json,$out/$f-geocont.json,$out/$f-geocont-vectors.safetensors")
done

echo "== read bandwidth (end)" >&2
"${peer_env[@]}" "$py" "$here/svd_peers.py" bandwidth "$out/bandwidth.json"

"$py" - "$out/header.json" "$java" "$load_before" "$py" <<'PY'
import json, os, subprocess, sys, datetime
out, java, load, py = sys.argv[1:5]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))
jv = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
pv = subprocess.run([py, "-c", "import numpy, scipy, platform\ntry:\n import sklearn; s = sklearn.__version__\nexcept ImportError: s = 'absent'\n"
                     "print(f'python {platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}, scikit-learn {s}')"],
                    capture_output=True, text=True).stdout.strip()
json.dump({"cpu": cpu, "nproc": os.cpu_count(), "mem": f"{int(mem) / 2**20:.1f} GiB",
           "date": f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC", "java": jv, "python_env": pv,
           "load_before": load, "l3": subprocess.run(["sh", "-c", "lscpu | sed -n 's/^L3 cache: *//p'"],
                                                     capture_output=True, text=True).stdout.strip() or "?",
           "threads": "OPENBLAS/OMP/MKL_NUM_THREADS=2 for the peers, -XX:ActiveProcessorCount=2 for geocont"},
          open(out, "w"))
PY
"$py" "$here/svd_peers.py" report "$out/bandwidth.json" "${specs[@]}" --header "$out/header.json" | tee "$out/summary.md"
echo "(written to $out)" >&2
