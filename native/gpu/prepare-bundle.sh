#!/usr/bin/env bash
# Run on the development machine: builds everything the GPU machine needs into .gpu-bundle/
# (ignored by git), under 64 MiB: the shaded jar, the test classes, the JUnit console
# launcher, a jlink-made Java runtime (only the modules we use, stripped and compressed), the
# kernel sources and nvcc flags (so the GPU machine can rebuild the fatbin), and the scripts.
# Then copy .gpu-bundle.tar.xz to the GPU machine, `tar xJf .gpu-bundle.tar.xz` and run
# .gpu-bundle/run-on-gpu.sh there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bundle="$root/.gpu-bundle"
jdk="${GEOCONT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
junit_console="org.junit.platform:junit-platform-console-standalone:1.11.4"
limit=$((64 * 1024 * 1024))

cd "$root"
echo "prepare-bundle: building jars and test classes" >&2
mvn -q -B -DskipTests package
rm -rf "$bundle"
mkdir -p "$bundle/lib"
cp target/geocont-all.jar "$bundle/lib/"
cp -r target/test-classes "$bundle/test-classes"
mvn -q -B dependency:copy -Dartifact="$junit_console" -DoutputDirectory="$bundle/lib" -Dmdep.stripVersion=true
mkdir -p "$bundle/native/gpu"
cp -r kernels "$bundle/kernels"
cp native/nvcc.flags native/build-kernels.sh "$bundle/native/"
cp native/gpu/run-on-gpu.sh native/gpu/torch_peer.py "$bundle/native/gpu/"
ln -s native/gpu/run-on-gpu.sh "$bundle/run-on-gpu.sh"

echo "prepare-bundle: jlink runtime from $jdk" >&2
# java.desktop so the reproduce commands can draw their (headless) figures on the GPU machine too.
modules="java.base,java.logging,java.xml,java.management,jdk.management,java.desktop,jdk.unsupported,jdk.incubator.vector"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-9 --strip-native-debug-symbols=objcopy="$(command -v objcopy)" --output "$bundle/runtime"
"$bundle/runtime/bin/java" -version 2>&1 | head -1 >&2

# The folder itself is ~70 MiB (libjvm.so alone is 29 MiB); the xz archive is what travels.
du -sh "$bundle"/* >&2
archive="$root/.gpu-bundle.tar.xz"
tar -C "$root" -cf - .gpu-bundle | xz -T2 -6 > "$archive"
size=$(stat -c %s "$archive")
echo "prepare-bundle: $archive is $((size / 1024 / 1024)) MiB ($size bytes; limit 64 MiB)" >&2
if (( size > limit )); then echo "prepare-bundle: bundle archive exceeds 64 MiB" >&2; exit 1; fi
