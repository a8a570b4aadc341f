#!/usr/bin/env bash
# Compiles kernels/geocont_kernels.cu into one fatbin (SASS for sm_80 and sm_90, PTX for
# compute_90 so newer GPUs JIT it) at OUT_DIR/geocont_kernels.fatbin.
# Usage: native/build-kernels.sh OUT_DIR [extra nvcc flags...]; NVCC overrides the compiler,
# GEOCONT_GENCODE the target architectures.
# Flags: native/nvcc.flags (one per line). Called by Maven's cuda-kernels profile and by
# native/gpu/run-on-gpu.sh. Any nvcc error fails the caller.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
out_dir="${1:?usage: build-kernels.sh OUT_DIR [nvcc flags]}"; shift
nvcc="${NVCC:-}"
if [[ -z "$nvcc" ]]; then
  for c in /usr/local/cuda/bin/nvcc "${CUDA_HOME:-/nonexistent}/bin/nvcc" "$(command -v nvcc || true)"; do
    [[ -n "$c" && -x "$c" ]] && { nvcc="$c"; break; }
  done
fi
[[ -n "$nvcc" ]] || { echo "build-kernels: nvcc not found (set NVCC or CUDA_HOME)" >&2; exit 1; }
mkdir -p "$out_dir"
src="$root/kernels/geocont_kernels.cu"
out="$out_dir/geocont_kernels.fatbin"
# Skip when the fatbin is newer than every kernel source and the flags.
if [[ -f "$out" ]] && [[ -z "$(find "$root/kernels" "$here/nvcc.flags" -newer "$out" -print -quit)" ]] && [[ $# -eq 0 ]]; then
  echo "build-kernels: $out is up to date"; exit 0
fi
mapfile -t flags < <(grep -v '^\s*#' "$here/nvcc.flags" | grep -v '^\s*$')
# GEOCONT_GENCODE replaces the -gencode lines (e.g. only sm_90 on the GPU machine, for speed).
if [[ -n "${GEOCONT_GENCODE:-}" ]]; then
  mapfile -t flags < <(printf '%s\n' "${flags[@]}" | grep -v '^-gencode')
  read -r -a extra_gencode <<< "$GEOCONT_GENCODE"
  flags+=("${extra_gencode[@]}")
fi
start=$(date +%s)
"$nvcc" -fatbin "${flags[@]}" "$@" -I "$root/kernels" -o "$out.tmp" "$src"
mv "$out.tmp" "$out"
"$nvcc" --version | tail -1 > "$out_dir/geocont_kernels.nvcc-version"
echo "build-kernels: wrote $out ($(stat -c %s "$out") bytes, $(( $(date +%s) - start )) s, $("$nvcc" --version | tail -1))"
