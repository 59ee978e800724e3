#!/usr/bin/env bash
# Prepares cross-compiling edgert for aarch64 on a Debian 12 amd64 host, and only what is missing:
#   1. the cross compiler (g++-aarch64-linux-gnu) and qemu-user, apt-installed on the host;
#   2. the arm64 libraries and headers the build uses, fetched with `apt-get download` into
#      build-cross/debs and unpacked with `dpkg -x` into build-cross/sysroot-arm64.
# The arm64 -dev packages are never apt-installed: libxnnpack and libpthreadpool are not
# Multi-Arch: same (apt would remove the amd64 ones) and libcpuinfo-dev:arm64 conflicts with the
# amd64 one on a shared file (see shared/notes/xnnpack-debian.md, section 6).
# The header-only libraries go into the sysroot too, so that the toolchain file can keep CMake's
# header search inside the sysroot (host /usr/include holds amd64 glibc headers).
# Usage: scripts/cross-setup.sh [sysroot]   (default build-cross/sysroot-arm64)
set -euo pipefail
cd "$(dirname "$0")/.."

sysroot=${1:-build-cross/sysroot-arm64}
debs=build-cross/debs

# The XNNPACK stack: not linked yet (ERT_WITH_XNNPACK is unused), so a missing one only warns.
optional_packages=(libxnnpack0 libxnnpack-dev libpthreadpool0 libpthreadpool-dev
                   libcpuinfo0 libcpuinfo-dev libfp16-dev)
# What the build includes today: a missing one is an error.
required_packages=(libflatbuffers-dev doctest-dev libcli11-dev nlohmann-json3-dev)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

# 1. Host tools.
missing=()
command -v aarch64-linux-gnu-g++ > /dev/null || missing+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64 > /dev/null || missing+=(qemu-user)
command -v flatc > /dev/null || missing+=(flatbuffers-compiler)
if [ ${#missing[@]} -gt 0 ]; then
  echo "cross-setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# apt only downloads arm64 packages once arm64 is a foreign architecture with its index fetched.
# This changes nothing installed on the host; it only lets apt see the arm64 index.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "cross-setup: adding arm64 as a dpkg foreign architecture (index only)"
  "${sudo_cmd[@]}" dpkg --add-architecture arm64
  "${sudo_cmd[@]}" apt-get update -qq
fi

# 2. Download the .deb files not already there. `apt-get download` writes into the current folder.
mkdir -p "$debs" "$sysroot"
fetch() {  # fetch PACKAGE REQUIRED(0/1)
  local pkg=$1 required=$2
  if compgen -G "$debs/${pkg}_*_arm64.deb" > /dev/null \
     || compgen -G "$debs/${pkg}_*_all.deb" > /dev/null; then
    return 0
  fi
  # Architecture-independent packages (Architecture: all) have no :arm64 variant.
  if (cd "$debs" && { apt-get download -qq "$pkg:arm64" || apt-get download -qq "$pkg:all"; } \
        > /dev/null 2>&1); then
    return 0
  fi
  if [ "$required" = 1 ]; then
    echo "cross-setup: cannot download $pkg:arm64" >&2
    exit 1
  fi
  echo "cross-setup: warning: cannot download $pkg:arm64 (not needed by the build yet)" >&2
}
for p in "${required_packages[@]}"; do fetch "$p" 1; done
for p in "${optional_packages[@]}"; do fetch "$p" 0; done

# 3. Unpack each .deb once; a stamp file beside it records that it is in the sysroot.
stamps="$sysroot/.unpacked"
mkdir -p "$stamps"
for deb in "$debs"/*.deb; do
  stamp="$stamps/$(basename "$deb").done"
  [ -e "$stamp" ] && continue
  dpkg -x "$deb" "$sysroot"
  touch "$stamp"
done
echo "cross-setup: sysroot ready in $sysroot ($(ls "$debs"/*.deb | wc -l) packages)"
