#!/usr/bin/env bash
# Prepares cross-compiling edgert on a Debian 12 amd64 host, for 64-bit ARM (aarch64, Debian
# arm64) and/or 32-bit ARM with NEON (armhf), and only what is missing:
#   1. the cross compiler (g++-aarch64-linux-gnu, g++-arm-linux-gnueabihf) and qemu-user,
#      apt-installed on the host;
#   2. the target's libraries and headers the build uses, fetched with `apt-get download` into
#      build-cross/debs and unpacked with `dpkg -x` into build-cross/sysroot-<arm64|armhf>.
# The target -dev packages are never apt-installed: libxnnpack and libpthreadpool are not
# Multi-Arch: same (apt would remove the amd64 ones) and libcpuinfo-dev conflicts with the amd64
# one on a shared file (see shared/notes/xnnpack-debian.md, section 6).
# The header-only libraries go into the sysroot too, so that the toolchain files can keep CMake's
# header search inside the sysroot (host /usr/include holds amd64 glibc headers).
#
# Usage: scripts/cross-setup.sh [aarch64|armhf|all]   (default aarch64)
# Takes 1-3 minutes the first time (apt downloads, mostly the cross compilers), about a second
# when everything is there. Needs root or sudo, and network access to the Debian mirror.
# ERT_CROSS_DIR (default build-cross) moves the debs and sysroots elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-aarch64}
case "$target" in
  aarch64) arches=(arm64) ;;
  armhf) arches=(armhf) ;;
  all) arches=(arm64 armhf) ;;
  *) echo "usage: $0 [aarch64|armhf|all]" >&2; exit 2 ;;
esac

cross_dir=${ERT_CROSS_DIR:-build-cross}
debs=$cross_dir/debs

# Everything the cross build links or includes: a missing one is an error.
packages=(libxnnpack0 libxnnpack-dev libpthreadpool0 libpthreadpool-dev libcpuinfo0
          libcpuinfo-dev libfp16-dev libflatbuffers-dev doctest-dev libcli11-dev
          nlohmann-json3-dev)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

# Debian architecture name -> the cross compiler's package and command, and the qemu binary.
compiler_package() { case $1 in arm64) echo g++-aarch64-linux-gnu ;; armhf) echo g++-arm-linux-gnueabihf ;; esac; }
compiler_command() { case $1 in arm64) echo aarch64-linux-gnu-g++ ;; armhf) echo arm-linux-gnueabihf-g++ ;; esac; }
qemu_command() { case $1 in arm64) echo qemu-aarch64 ;; armhf) echo qemu-arm ;; esac; }

# 1. Host tools.
missing=()
for arch in "${arches[@]}"; do
  command -v "$(compiler_command "$arch")" > /dev/null || missing+=("$(compiler_package "$arch")")
  command -v "$(qemu_command "$arch")" > /dev/null || missing+=(qemu-user)
done
command -v flatc > /dev/null || missing+=(flatbuffers-compiler)
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "cross-setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq || true
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# apt only downloads a foreign architecture's packages once it is a dpkg foreign architecture
# with its index fetched. This changes nothing installed on the host; it only lets apt see the
# index. apt-get update can fail on one index alone (bookworm-security's armhf index has shown a
# size mismatch while the mirror synced); the main index is enough, so a failure only warns here
# and a package that then cannot be found fails below.
for arch in "${arches[@]}"; do
  if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    echo "cross-setup: adding $arch as a dpkg foreign architecture (index only)"
    "${sudo_cmd[@]}" dpkg --add-architecture "$arch"
    "${sudo_cmd[@]}" apt-get update -qq ||
      echo "cross-setup: warning: apt-get update reported errors (continuing)" >&2
  fi
done

# 2. Download the .deb files not already there. `apt-get download` writes into the current folder.
# The folder is shared by the architectures: file names end in _<arch>.deb, or _all.deb for
# architecture-independent packages (headers only), which every sysroot gets.
mkdir -p "$debs"
fetch() {  # fetch PACKAGE ARCH
  local pkg=$1 arch=$2
  if compgen -G "$debs/${pkg}_*_${arch}.deb" > /dev/null \
     || compgen -G "$debs/${pkg}_*_all.deb" > /dev/null; then
    return 0
  fi
  # Architecture-independent packages (Architecture: all) have no :<arch> variant.
  if (cd "$debs" && { apt-get download -qq "$pkg:$arch" || apt-get download -qq "$pkg:all"; } \
        > /dev/null 2>&1); then
    return 0
  fi
  echo "cross-setup: cannot download $pkg:$arch (is '$arch' in dpkg --print-foreign-architectures" \
       "and its index fetched by apt-get update?)" >&2
  exit 1
}

# 3. Unpack each .deb once per sysroot; a stamp file records that it is there.
for arch in "${arches[@]}"; do
  for p in "${packages[@]}"; do fetch "$p" "$arch"; done
  sysroot=$cross_dir/sysroot-$arch
  stamps="$sysroot/.unpacked"
  mkdir -p "$stamps"
  count=0
  for deb in "$debs"/*_"$arch".deb "$debs"/*_all.deb; do
    [ -e "$deb" ] || continue
    count=$((count + 1))
    stamp="$stamps/$(basename "$deb").done"
    [ -e "$stamp" ] && continue
    dpkg -x "$deb" "$sysroot"
    touch "$stamp"
  done
  echo "cross-setup: $arch sysroot ready in $sysroot ($count packages)"
done
