#!/usr/bin/env bash
# Cross-compiles edgert for 64-bit or 32-bit ARM Linux and runs its tests under qemu-user:
#   1. scripts/cross-setup.sh TARGET (cross compiler, qemu-user, target sysroot; what is missing);
#   2. configures build-cross/TARGET[-noxnnpack] with toolchains/<triplet>.cmake, Release,
#      warnings as errors;
#   3. builds, then runs ctest, which starts every test program (and every `ert` the test
#      scripts call) under the emulator.
#
# Usage: scripts/cross-test.sh [aarch64|armhf] [--no-xnnpack] [--cpu MODEL] [--build-dir DIR]
#                              [CTEST ARGS...]
#   aarch64 (default)  toolchains/aarch64-linux-gnu.cmake, run under qemu-aarch64
#   armhf              toolchains/arm-linux-gnueabihf.cmake, run under qemu-arm
#   --no-xnnpack       -DERT_WITH_XNNPACK=OFF: reference and own kernels only
#   --cpu MODEL        qemu CPU model, e.g. cortex-a53 (ARMv8.0, no fp16 arithmetic)
#   --build-dir DIR    build folder (default build-cross/TARGET, -noxnnpack appended with it)
# Anything else goes to ctest, e.g. -E conformance_tflite.
#
# Takes, on 2 cores: 1-3 minutes of setup the first time, 10-20 minutes to build (the test
# binary is most of it), and 5-15 minutes of tests under qemu (the TFLite conformance run, which
# emulates `ert` on every shared model, is most of that). Needs root or sudo for the setup.
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64
xnnpack=ON
cpu=
build_dir=
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    aarch64 | armhf) target=$1 ;;
    --no-xnnpack) xnnpack=OFF ;;
    --cpu) cpu=$2; shift ;;
    --build-dir) build_dir=$2; shift ;;
    *) ctest_args+=("$1") ;;
  esac
  shift
done
case "$target" in
  aarch64) toolchain=toolchains/aarch64-linux-gnu.cmake; debarch=arm64 ;;
  armhf) toolchain=toolchains/arm-linux-gnueabihf.cmake; debarch=armhf ;;
esac
if [ -z "$build_dir" ]; then
  build_dir=build-cross/$target
  [ "$xnnpack" = OFF ] && build_dir+=-noxnnpack
fi

scripts/cross-setup.sh "$target"
cmake -S . -B "$build_dir" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DERT_SYSROOT="$(realpath -m "${ERT_CROSS_DIR:-build-cross}")/sysroot-$debarch" \
  -DERT_WITH_XNNPACK="$xnnpack" -DERT_QEMU_CPU="$cpu" \
  -DCMAKE_BUILD_TYPE=Release -DERT_WARNINGS_AS_ERRORS=ON > /dev/null
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure "${ctest_args[@]}"
