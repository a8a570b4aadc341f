#!/usr/bin/env bash
# Runs the JMH CPU benchmarks (SGEMM, exact SVD) and numpy (OpenBLAS) at the same sizes in one go,
# and prints/writes the ratios. Both sides report the same statistics of repeated wall-clock
# timings: best (minimum; JMH SampleTime p0) and median (p50). numpy runs before AND after JMH;
# ratios use the better numpy figure of the two runs (conservative on a shared machine).
#
#   benchmarks/cpu-peers.sh            # full: JMH 3x1s warm-up, 5x1s measurement per size
#   QUICK=1 benchmarks/cpu-peers.sh    # shorter JMH runs (2 warm-up, 3 measurement iterations)
#   GEMM_SIZES=512,1024 SVD_SIZES=128 benchmarks/cpu-peers.sh
#
# Output: the table on stdout and benchmarks/target/peers/<timestamp>/{jmh-*.json,numpy-*.json,summary.md}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
gemm_sizes="${GEMM_SIZES:-256,512,1024,2048}"
svd_sizes="${SVD_SIZES:-64,128,256,512}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/target/peers/$stamp"

find_java() {
  for j in "${JAVA25:-}" "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/temurin-25*/bin/java /usr/lib/jvm/*25*/bin/java "$(command -v java || true)"; do
    [[ -n "$j" && -x "$j" ]] || continue
    v="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    [[ -n "$v" && "$v" -ge 25 ]] && { echo "$j"; return; }
  done
  echo "cpu-peers.sh: no Java 25+ found (set JAVA25=/path/to/bin/java)" >&2; exit 2
}
java="$(find_java)"

echo "== building (root: mvn -DskipTests install; benchmarks: mvn package of a fresh jar)" >&2
(cd "$root" && mvn -q -B -DskipTests install)
rm -f "$here/target/benchmarks.jar" "$here/target/original-benchmarks.jar"  # a kept shaded jar would keep stale geocont classes
(cd "$here" && mvn -q -B package)
mkdir -p "$out"

jmh_opts=()
[[ -n "${QUICK:-}" ]] && jmh_opts=(-wi 2 -i 3 -w 1s -r 1s)

echo "== numpy (before)" >&2
python3 "$here/numpy_peer.py" --gemm "$gemm_sizes" --svd "$svd_sizes" > "$out/numpy-before.json"
OPENBLAS_NUM_THREADS=1 python3 "$here/numpy_peer.py" --gemm "$gemm_sizes" --svd "" > "$out/numpy-1t-before.json"
echo "== JMH SgemmBenchmark n=$gemm_sizes, threads = all and 1" >&2
"$java" -jar "$here/target/benchmarks.jar" SgemmBenchmark -p n="$gemm_sizes" -p threads=0,1 "${jmh_opts[@]}" \
  -rf json -rff "$out/jmh-sgemm.json" > "$out/jmh-sgemm.log"
echo "== JMH SvdBenchmark n=$svd_sizes" >&2
"$java" -jar "$here/target/benchmarks.jar" SvdBenchmark -p n="$svd_sizes" "${jmh_opts[@]}" \
  -rf json -rff "$out/jmh-svd.json" > "$out/jmh-svd.log"
echo "== numpy (after)" >&2
python3 "$here/numpy_peer.py" --gemm "$gemm_sizes" --svd "$svd_sizes" > "$out/numpy-after.json"
OPENBLAS_NUM_THREADS=1 python3 "$here/numpy_peer.py" --gemm "$gemm_sizes" --svd "" > "$out/numpy-1t-after.json"

cpu_model="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
cores="$(nproc)"
python3 - "$out" "$cpu_model" "$cores" "$java" <<'PY'
import json, sys, datetime, subprocess
out, model, cores, java = sys.argv[1:5]
nb = json.load(open(f"{out}/numpy-before.json")); na = json.load(open(f"{out}/numpy-after.json"))
n1b = json.load(open(f"{out}/numpy-1t-before.json")); n1a = json.load(open(f"{out}/numpy-1t-after.json"))
def jmh(name):
    res = {}
    for r in json.load(open(f"{out}/{name}")):
        key = int(r["params"]["n"])
        if "threads" in r["params"]: key = (key, int(r["params"]["threads"]))
        p = r["primaryMetric"]["scorePercentiles"]
        res[key] = (p["0.0"] / 1e3, p["50.0"] / 1e3)  # ms -> s: (best, median)
    return res
g, s = jmh("jmh-sgemm.json"), jmh("jmh-svd.json")
jv = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
gf = lambda n, t: 2 * n ** 3 / t / 1e9
lines = [f"machine: {model}, {cores} cores; {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
         f"java: {jv}; numpy {nb['numpy']} ({nb.get('blas','?')})", "",
         "| SGEMM n | threads | geocont GFLOP/s best / median | numpy GFLOP/s best / median (better of 2 runs) | ratio best | ratio median |",
         "|---|---|---|---|---|---|"]
for (n, th) in sorted(g, key=lambda k: (k[1] != 0, k[0])):
    tb, tm = g[(n, th)]
    k = str(n)
    before, after = (nb, na) if th == 0 else (n1b, n1a)
    nbest = max(before["gemm"][k]["gflops"], after["gemm"][k]["gflops"])
    nmed = max(before["gemm"][k]["median_gflops"], after["gemm"][k]["median_gflops"])
    label = f"all ({cores})" if th == 0 else str(th)
    lines.append(f"| {n} | {label} | {gf(n, tb):.1f} / {gf(n, tm):.1f} | {nbest:.1f} / {nmed:.1f} | {gf(n, tb) / nbest:.2f} | {gf(n, tm) / nmed:.2f} |")
lines += ["", "| exact SVD n | geocont ms best / median | numpy.linalg.svd float64 ms best / median | time ratio best | time ratio median |",
          "|---|---|---|---|---|"]
for n in sorted(s):
    tb, tm = s[n]
    k = str(n)
    nbest = min(nb["svd"][k]["seconds"], na["svd"][k]["seconds"])
    nmed = min(nb["svd"][k]["median_seconds"], na["svd"][k]["median_seconds"])
    lines.append(f"| {n} | {tb*1e3:.2f} / {tm*1e3:.2f} | {nbest*1e3:.2f} / {nmed*1e3:.2f} | {tb / nbest:.2f} | {tm / nmed:.2f} |")
lines.append("")
lines.append("SGEMM ratios: geocont GFLOP/s / numpy GFLOP/s (higher is better, goal >= 0.5). SVD ratios: geocont time / numpy time (lower is better).")
text = "\n".join(lines)
print(text)
open(f"{out}/summary.md", "w").write(text + "\n")
PY
echo "(written to $out)" >&2
