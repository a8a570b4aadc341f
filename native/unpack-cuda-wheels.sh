#!/usr/bin/env bash
# Unpacks the cuBLAS / cuSOLVER shared libraries (and the two they link against) from the pip
# wheels that machines of this kind carry in /opt/pypi-more/files, so the binding tests load the
# real libraries instead of skipping. Only the .so files the tests need; ~9 s, ~1 GB; idempotent.
# No wheels (any other machine): says so and exits 0, and the tests that need them skip.
#   native/unpack-cuda-wheels.sh DEST     # libraries end up in DEST/nvidia/cu13/lib
set -euo pipefail
dest="${1:?usage: unpack-cuda-wheels.sh DEST}"
wheels="${GEOCONT_WHEEL_DIR:-/opt/pypi-more/files}"
lib="$dest/nvidia/cu13/lib"
need=(libcublas.so.13 libcublasLt.so.13 libcusolver.so.12 libcusparse.so.12 libnvJitLink.so.13)

missing=0
for f in "${need[@]}"; do [ -s "$lib/$f" ] || missing=1; done
[ "$missing" = 0 ] && { echo "unpack-cuda-wheels: $lib is up to date"; exit 0; }

command -v unzip >/dev/null || { echo "unpack-cuda-wheels: no unzip on PATH; CUDA library tests will skip"; exit 0; }
mkdir -p "$dest"
pattern="^nvidia/cu13/lib/($(IFS='|'; echo "${need[*]//./\\.}"))\$"
for w in nvidia_cublas nvidia_cusolver nvidia_cusparse nvidia_nvjitlink; do
  whl="$(ls "$wheels"/$w-[0-9]*.whl 2>/dev/null | head -1 || true)"
  [ -n "$whl" ] || { echo "unpack-cuda-wheels: no $w wheel in $wheels; CUDA library tests will skip"; exit 0; }
  mapfile -t members < <(unzip -Z1 "$whl" | grep -E "$pattern" || true)
  [ "${#members[@]}" -gt 0 ] && (cd "$dest" && unzip -q -o "$whl" "${members[@]}")
done
for f in "${need[@]}"; do
  [ -s "$lib/$f" ] || { echo "unpack-cuda-wheels: $f not found in the wheels; CUDA library tests will skip"; exit 0; }
done
echo "unpack-cuda-wheels: unpacked ${#need[@]} libraries into $lib"
