#!/usr/bin/env bash
# Cross-compiles edgert for aarch64 and runs its tests under qemu-aarch64:
#   1. scripts/cross-setup.sh (cross compiler, qemu-user, arm64 sysroot; only what is missing);
#   2. configures build-cross/aarch64 with toolchains/aarch64-linux-gnu.cmake, Release;
#   3. builds, then runs ctest, which starts every test program under the emulator.
# Extra arguments go to ctest, e.g. scripts/cross-test.sh -E conformance_tflite (the TFLite
# conformance run is slow under qemu: every model goes through an emulated ert).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/cross-setup.sh
cmake -S . -B build-cross/aarch64 -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake \
  -DERT_SYSROOT="$PWD/build-cross/sysroot-arm64" \
  -DCMAKE_BUILD_TYPE=Release -DERT_WARNINGS_AS_ERRORS=ON > /dev/null
cmake --build build-cross/aarch64 -j "$(nproc)"
ctest --test-dir build-cross/aarch64 --output-on-failure "$@"
