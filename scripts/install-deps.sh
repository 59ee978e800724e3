#!/usr/bin/env bash
# Installs what edgert needs on Debian 12, and only what is missing: the toolchain and the
# libraries from Debian's packages, and (for tests and tools only) numpy and TensorFlow Lite's
# Python package from PyPI. Nothing is downloaded at configure or build time.
set -euo pipefail

debian_packages=(
  g++ cmake make pkg-config python3 python3-pip
  flatbuffers-compiler libflatbuffers-dev doctest-dev
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libfp16-dev
  libcli11-dev nlohmann-json3-dev libstb-dev
  libbenchmark-dev python3-matplotlib
)
python_packages=(numpy ai-edge-litert)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

missing_py=()
python3 -c "import numpy" 2>/dev/null || missing_py+=(numpy)
python3 -c "import ai_edge_litert.interpreter" 2>/dev/null || missing_py+=(ai-edge-litert)
if [ ${#missing_py[@]} -gt 0 ]; then
  echo "install-deps: pip installing ${missing_py[*]}"
  # Debian's own python refuses system-wide pip installs (PEP 668); these are test tools only.
  python3 -m pip install -q "${missing_py[@]}" 2>/dev/null ||
    python3 -m pip install -q --break-system-packages "${missing_py[@]}"
fi
: "${python_packages[@]}"
