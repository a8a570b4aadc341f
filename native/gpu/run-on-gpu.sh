#!/usr/bin/env bash
# Run on the GPU machine from the bundle made by native/gpu/prepare-bundle.sh (no Maven, no
# network, maybe no JDK). Checks the driver and GPU, finds cuBLAS/cuSOLVER in the PyTorch
# environment's nvidia/*/lib, rebuilds the kernel fatbin for sm_90 if the jar lacks one (or
# if GEOCONT_REBUILD_KERNELS=1), runs `geocont doctor`, the gpu-tagged tests, and the GPU
# benchmark against its PyTorch peer. Logs go to $OUT (default ./gpu-out).
set -uo pipefail
bundle="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
out="${OUT:-$PWD/gpu-out}"
mkdir -p "$out"
log="$out/run-on-gpu.log"
say() { echo "run-on-gpu: $*" | tee -a "$log" >&2; }
die() { say "FAILED: $1"; exit "${2:-1}"; }

say "bundle $bundle, output $out, $(date -u +%FT%TZ)"

# 1. Driver and GPU (GEOCONT_DRY_RUN=1 goes on without one, to exercise the later steps; it then
#    stops at the doctor step with the backend's own reason)
gpu_missing() {
  if [[ "${GEOCONT_DRY_RUN:-0}" == 1 ]]; then say "dry run: $1; going on"; else die "$1" 3; fi
}
if ! command -v nvidia-smi >/dev/null 2>&1; then
  gpu_missing "no GPU: nvidia-smi not found (no NVIDIA driver installed)"
elif ! nvidia-smi > "$out/nvidia-smi.txt" 2>&1; then
  gpu_missing "no GPU: nvidia-smi failed: $(head -3 "$out/nvidia-smi.txt")"
else
  nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv,noheader | tee -a "$log"
fi

# 2. Java: the bundled runtime, else JAVA_HOME/PATH (25+)
java="$bundle/runtime/bin/java"
[[ -x "$java" ]] || java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -version >> "$log" 2>&1 || die "no Java runtime (bundle/runtime missing and no java on PATH)" 4

# 3. cuBLAS/cuSOLVER from the Python (PyTorch) environment's pip wheels
py="$(command -v python3 || command -v python || true)"
nvlibs=""
if [[ -n "$py" ]]; then
  nvlibs="$("$py" - <<'PY' 2>/dev/null
import glob, os, site, sys
roots = list(site.getsitepackages()) + [site.getusersitepackages()]
dirs = []
for r in roots:
    dirs += sorted(glob.glob(os.path.join(r, "nvidia", "*", "lib")))
print(":".join(d for d in dirs if os.path.isdir(d)))
PY
)"
fi
[[ -n "$nvlibs" ]] && say "nvidia wheel libraries: $nvlibs" || say "no nvidia/*/lib under Python site-packages; relying on CUDA_HOME, LD_LIBRARY_PATH, /usr/local/cuda"
export GEOCONT_CUDA_PATH="${GEOCONT_CUDA_PATH:+$GEOCONT_CUDA_PATH:}$nvlibs"

# 4. Kernels: rebuild for sm_90 when the jar has no fatbin (or on request)
cp_extra=""
has_fatbin() { # unzip may be missing on the GPU machine; Python's zipfile is not
  if command -v unzip >/dev/null 2>&1; then unzip -l "$1" | grep geocont_kernels.fatbin >/dev/null # not -q: pipefail + SIGPIPE
  elif [[ -n "$py" ]]; then "$py" -c "import sys, zipfile; sys.exit(0 if 'io/geocont/backend/cuda/geocont_kernels.fatbin' in zipfile.ZipFile(sys.argv[1]).namelist() else 1)" "$1"
  else return 0; fi
}
if ! has_fatbin "$bundle/lib/geocont-all.jar" || [[ "${GEOCONT_REBUILD_KERNELS:-0}" == 1 ]]; then
  kdir="$out/kernels-build"
  say "building the kernel fatbin for sm_90 into $kdir"
  NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}" \
    GEOCONT_GENCODE="-gencode=arch=compute_90,code=sm_90 -gencode=arch=compute_90,code=compute_90" \
    bash "$bundle/native/build-kernels.sh" "$kdir/io/geocont/backend/cuda" >> "$log" 2>&1 \
    || die "nvcc failed (see $log)" 5
  cp_extra="$kdir:"
fi
cp="${cp_extra}$bundle/lib/geocont-all.jar:$bundle/test-classes:$bundle/lib/junit-platform-console-standalone.jar"
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true)

# 5. doctor: must report cuda available
"$java" "${flags[@]}" -cp "$cp" io.geocont.cli.Main doctor --verbose --json "$out/doctor.json" | tee "$out/doctor.txt" >> "$log"
grep -q "^cuda: available" "$out/doctor.txt" || die "cuda backend unavailable here: $(grep '^cuda:' "$out/doctor.txt")" 6

# 6. gpu-tagged tests
say "running the gpu-tagged tests"
"$java" "${flags[@]}" -cp "$cp" org.junit.platform.console.ConsoleLauncher execute \
  --scan-classpath "$bundle/test-classes" --include-tag gpu --details=tree --disable-banner \
  --reports-dir "$out/junit" > "$out/gpu-tests.txt" 2>&1
tests_rc=$?
tail -15 "$out/gpu-tests.txt" | tee -a "$log"

# 7. benchmarks: ours and the PyTorch peer, same ops and sizes
say "benchmarks"
"$java" "${flags[@]}" -cp "$cp" io.geocont.backend.cuda.GpuBench > "$out/bench-geocont.csv" 2>> "$log" || say "GpuBench failed"
[[ -n "$py" ]] && "$py" "$bundle/native/gpu/torch_peer.py" > "$out/bench-torch.csv" 2>> "$log" || say "torch peer failed or no Python"
paste -d'|' "$out/bench-geocont.csv" "$out/bench-torch.csv" 2>/dev/null | tee -a "$log"

[[ $tests_rc -eq 0 ]] || die "gpu tests failed (rc $tests_rc; see $out/gpu-tests.txt and $out/junit)" 7
say "done: all gpu tests passed; logs in $out"
