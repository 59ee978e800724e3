#!/usr/bin/env bash
# Checks that an installed edgert works for an application, natively and cross-built:
#   1. installs a build with `cmake --install` into a temporary prefix and checks what is there
#      (the public headers only, libedgert.a, libedgert.so exporting only ert_* symbols, the CMake
#      package, edgert.pc);
#   2. builds examples/consumer against that prefix with find_package(edgert), once linking the
#      static library and once the shared one (BUILD_SHARED_LIBS=ON), and runs both of its
#      programs (C++ and C) on a test model, checking every line they print;
#   3. natively only: compiles examples/consumer/main.c with pkg-config alone (no CMake), shared
#      and static, and runs those too;
#   4. the same as 1-2 for each cross target, with the target's toolchain file, running the
#      programs under qemu the way the toolchain's CMAKE_CROSSCOMPILING_EMULATOR does.
#
# Usage: scripts/install-test.sh [native] [aarch64] [armhf]   (default: native aarch64)
# Build folders (reused as they are when configured, else configured and built here; only the
# targets this test needs are built): ERT_NATIVE_BUILD (default build),
# ERT_AARCH64_BUILD (default build-cross/aarch64), ERT_ARMHF_BUILD (default build-cross/armhf).
# The model is relu_chain.ert, written by the native build's tests/ert_write_test_models:
# x [1,4,4,3] -> RELU -> RELU6 -> y.
#
# Takes about 1 minute when the builds are there (most of it configuring the consumer four
# times), plus the builds otherwise (about 5 minutes each on 2 cores). Needs what
# scripts/install-deps.sh installs, and scripts/cross-setup.sh for the cross targets.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(native aarch64)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ert-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "install-test: FAIL: $*" >&2; failures=$((failures + 1)); }

version=$(sed -n 's/^project(edgert VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
# What both consumer programs print for relu_chain.ert with the input ramp 1.5 * i - 3.
expected="edgert $version
input x [1,4,4,3] f32
output y [1,4,4,3] f32: 0 0 0 1.5 3 4.5 6 6"

# configure_and_build BUILD_DIR TARGET... [-- CONFIGURE ARGS...]: configures the folder the first
# time (Release, warnings as errors, plus the arguments), re-runs CMake on it otherwise (it may
# predate cmake/install.cmake), then builds the targets.
configure_and_build() {
  local dir=$1; shift
  local build_targets=() configure_args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do build_targets+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  configure_args=("$@")
  if [ -f "$dir/CMakeCache.txt" ]; then
    cmake "$dir" > /dev/null
  else
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DERT_WARNINGS_AS_ERRORS=ON \
      "${configure_args[@]}" > /dev/null
  fi
  cmake --build "$dir" -j "$(nproc)" --target "${build_targets[@]}"
}

# check_output LABEL COMMAND...: runs the command and compares what it prints with $expected.
check_output() {
  local label=$1; shift
  local out
  if ! out=$("$@" 2>&1); then
    fail "$label: exited with an error: $out"
  elif [ "$out" != "$expected" ]; then
    fail "$label: printed"$'\n'"$out"$'\n'"instead of"$'\n'"$expected"
  else
    echo "install-test: ok: $label"
  fi
}

# check_prefix PREFIX READELF NM: the installed files.
check_prefix() {
  local prefix=$1 readelf=$2 nm=$3 f
  local headers
  headers=$(cd "$prefix/include" && find . -type f | sort | tr '\n' ' ')
  [ "$headers" = "./ert/ert.h ./ert/ert.hpp " ] || fail "$prefix: installed headers are: $headers"
  for f in lib/libedgert.a lib/libedgert.so lib/cmake/edgert/edgertConfig.cmake \
           lib/cmake/edgert/edgertConfigVersion.cmake lib/cmake/edgert/edgertTargets.cmake \
           lib/pkgconfig/edgert.pc; do
    [ -e "$prefix/$f" ] || fail "$prefix: $f is missing"
  done
  "$readelf" -d "$prefix/lib/libedgert.so" | grep -q "SONAME.*libedgert\.so\.${version%%.*}\]" ||
    fail "$prefix: libedgert.so has no SONAME libedgert.so.${version%%.*}"
  local others
  others=$("$nm" -D --defined-only "$prefix/lib/libedgert.so" | awk '$3 !~ /^ert_/' | head -3)
  [ -z "$others" ] || fail "$prefix: libedgert.so exports more than ert_*: $others"
  "$nm" -D --defined-only "$prefix/lib/libedgert.so" | grep -q " T ert_interpreter_invoke$" ||
    fail "$prefix: libedgert.so does not export ert_interpreter_invoke"
}

# needs_libedgert READELF PROGRAM: whether the program loads libedgert.so at run time.
needs_libedgert() { "$1" -d "$2" 2> /dev/null | grep -q "NEEDED.*libedgert\.so" && echo yes || echo no; }

# test_consumer LABEL PREFIX READELF RUNNER... -- CMAKE ARGS...: steps 2 for one prefix.
test_consumer() {
  local label=$1 prefix=$2 readelf=$3; shift 3
  local runner=()
  while [ "$1" != -- ]; do runner+=("$1"); shift; done
  shift
  local shared dir program want
  for shared in OFF ON; do
    dir=$tmp/consumer-$label-shared-$shared
    # Warnings through CFLAGS/CXXFLAGS, which CMake adds to a toolchain's own flags (a
    # CMAKE_C_FLAGS given on the command line would replace them).
    CFLAGS="-Wall -Wextra -Werror" CXXFLAGS="-Wall -Wextra -Werror" \
      cmake -S examples/consumer -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared "$@" > "$dir.log" 2>&1 ||
      { fail "$label: configuring the consumer failed:"; cat "$dir.log" >&2; continue; }
    cmake --build "$dir" > "$dir.build.log" 2>&1 ||
      { fail "$label: building the consumer failed:"; cat "$dir.build.log" >&2; continue; }
    want=$([ $shared = ON ] && echo yes || echo no)
    for program in consumer_cpp consumer_c; do
      [ "$(needs_libedgert "$readelf" "$dir/$program")" = "$want" ] ||
        fail "$label: $program with BUILD_SHARED_LIBS=$shared: linked libedgert.so: not $want"
      check_output "$label $program (BUILD_SHARED_LIBS=$shared)" \
        "${runner[@]}" "$dir/$program" "$model"
    done
  done
}

# ---- The model, from the native build. ---------------------------------------------------------
native_build=${ERT_NATIVE_BUILD:-build}
configure_and_build "$native_build" edgert_static edgert_shared ert_write_test_models
mkdir -p "$tmp/models"
"$native_build/tests/ert_write_test_models" "$tmp/models" > /dev/null
model=$tmp/models/relu_chain.ert

for target in "${targets[@]}"; do
  prefix=$tmp/prefix-$target
  case "$target" in
    native)
      cmake --install "$native_build" --prefix "$prefix" > /dev/null
      check_prefix "$prefix" readelf nm
      test_consumer native "$prefix" readelf --

      # 3. pkg-config alone: shared (what -ledgert gives), then static (the archive by name).
      export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
      cc -std=c99 -Wall -Wextra -Werror examples/consumer/main.c -o "$tmp/pc-shared" \
        $(pkg-config --cflags --libs edgert)
      [ "$(needs_libedgert readelf "$tmp/pc-shared")" = yes ] || fail "pkg-config shared link"
      check_output "native pkg-config shared" \
        env LD_LIBRARY_PATH="$prefix/lib" "$tmp/pc-shared" "$model"
      cc -std=c99 -Wall -Wextra -Werror examples/consumer/main.c -o "$tmp/pc-static" \
        $(pkg-config --cflags edgert) $(pkg-config --variable=static_libs edgert)
      [ "$(needs_libedgert readelf "$tmp/pc-static")" = no ] || fail "pkg-config static link"
      check_output "native pkg-config static" "$tmp/pc-static" "$model"
      unset PKG_CONFIG_PATH
      ;;
    aarch64 | armhf)
      if [ "$target" = aarch64 ]; then
        triplet=aarch64-linux-gnu; qemu=qemu-aarch64; debarch=arm64
        build=${ERT_AARCH64_BUILD:-build-cross/aarch64}
      else
        triplet=arm-linux-gnueabihf; qemu=qemu-arm; debarch=armhf
        build=${ERT_ARMHF_BUILD:-build-cross/armhf}
      fi
      toolchain=$root/toolchains/$triplet.cmake
      if [ ! -f "$build/CMakeCache.txt" ]; then scripts/cross-setup.sh "$target"; fi
      configure_and_build "$build" edgert_static edgert_shared -- \
        -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
        -DERT_SYSROOT="$(realpath -m "${ERT_CROSS_DIR:-build-cross}")/sysroot-$debarch"
      # The consumer uses the sysroot the library was built with.
      sysroot=$(sed -n 's/^ERT_SYSROOT:PATH=//p' "$build/CMakeCache.txt")
      cmake --install "$build" --prefix "$prefix" > /dev/null
      check_prefix "$prefix" "$triplet-readelf" "$triplet-nm"
      # As CMAKE_CROSSCOMPILING_EMULATOR in toolchains/debian-cross.cmake: the cross C library's
      # folder first in the guest's library path.
      test_consumer "$target" "$prefix" "$triplet-readelf" \
        "$qemu" -L "/usr/$triplet" -E "LD_LIBRARY_PATH=/usr/$triplet/lib:$sysroot/usr/lib/$triplet" \
        -- -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DERT_SYSROOT="$sysroot"
      ;;
    *)
      echo "usage: $0 [native] [aarch64] [armhf]" >&2
      exit 2
      ;;
  esac
done

if [ "$failures" -gt 0 ]; then
  echo "install-test: $failures check(s) failed" >&2
  exit 1
fi
echo "install-test: all checks passed (${targets[*]})"
