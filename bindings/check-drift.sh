#!/usr/bin/env bash
# Regenerates the bindings into target/bindings-check with a jextract you supply and diffs them
# against the committed sources (bindings/src/main/java). Not part of the normal build.
#
#   JEXTRACT=/path/to/jextract CUDA_INCLUDE=/usr/local/cuda/include \
#   NVIDIA_INCLUDE=/path/to/site-packages/nvidia/cu13/include bindings/check-drift.sh
#
# Exit 0: identical. Exit 1: drift (the diff is printed). Exit 2: a tool or header is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jx="${JEXTRACT:?set JEXTRACT to a jextract 23+ launcher (see bindings/README.md)}"
cuda_inc="${CUDA_INCLUDE:-/usr/local/cuda/include}"
nv_inc="${NVIDIA_INCLUDE:-$root/.cache/nvidia/nvidia/cu13/include}"
for f in "$cuda_inc/cuda_runtime_api.h" "$cuda_inc/cuda.h" "$nv_inc/cublas_v2.h" "$nv_inc/cusolverDn.h"; do
  [[ -f "$f" ]] || { echo "check-drift: missing header $f" >&2; exit 2; }
done
out="$root/target/bindings-check"
rm -rf "$out" && mkdir -p "$out"
"$jx" -I "$cuda_inc" --output "$out" @"$here/cudart.args" "$cuda_inc/cuda_runtime_api.h"
"$jx" -I "$cuda_inc" --output "$out" @"$here/cuda-driver.args" "$cuda_inc/cuda.h"
"$jx" -I "$nv_inc" -I "$cuda_inc" --output "$out" @"$here/cublas.args" "$nv_inc/cublas_v2.h"
"$jx" -I "$nv_inc" -I "$cuda_inc" --output "$out" @"$here/cusolver.args" "$nv_inc/cusolverDn.h"
if diff -ru "$here/src/main/java/io/geocont/bindings" "$out/io/geocont/bindings"; then
  echo "check-drift: committed bindings match a fresh jextract run"
else
  echo "check-drift: DRIFT between committed bindings and a fresh jextract run (see diff above)" >&2
  exit 1
fi
