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
# Each step prints its time. Measured on the 2-core CI machine (with another job on one core),
# from a clean clone, Release:
#   step                         aarch64            armhf
#   setup (first time)           53 s for both targets (apt: the armhf cross compiler)
#   setup (already there)        about 1 s          about 1 s
#   configure + build            4 min 18 s (-j2)   4 min 4 s (-j1)
#   ert_tests (doctest, 438)     8.5 s              6.4 s
#   the whole ctest suite (11)   2 min 48 s         3 min 3 s
#     of which conformance_tflite 46 s, conformance_tflite_reference_kernels 47 s,
#     conformance_int8 62 s on aarch64 (51 s, 53 s, 68 s on armhf); everything else ~15 s.
# conformance_tflite fails on both targets (issue 7, see .ci/run's header). .ci/run leaves out,
# to pass and to stay in its budget: on aarch64 conformance_tflite only (the other 10 take
# 2 min 15 s), on armhf the three conformance_* runs (the other 8 take 11 s). With the build,
# about 6.5 + 4.5 min, 11 min for both jobs plus a minute of first-time setup.
# Needs root or sudo for the setup.
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

step_start=$SECONDS
step_done() { echo "cross-test: $target: $1 took $((SECONDS - step_start)) s"; step_start=$SECONDS; }

scripts/cross-setup.sh "$target"
step_done setup
cmake -S . -B "$build_dir" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DERT_SYSROOT="$(realpath -m "${ERT_CROSS_DIR:-build-cross}")/sysroot-$debarch" \
  -DERT_WITH_XNNPACK="$xnnpack" -DERT_QEMU_CPU="$cpu" \
  -DCMAKE_BUILD_TYPE=Release -DERT_WARNINGS_AS_ERRORS=ON > /dev/null
# At most 2 jobs (ERT_JOBS overrides): the CI machine has 2 cores.
cmake --build "$build_dir" -j "${ERT_JOBS:-$(( $(nproc) < 2 ? $(nproc) : 2 ))}"
step_done "configure + build"
status=0
ctest --test-dir "$build_dir" --output-on-failure "${ctest_args[@]}" || status=$?
step_done tests
exit $status
