#!/usr/bin/env bash
# Configures and builds edgert into build/ (Release, warnings as errors). Extra arguments go to
# CMake's configure step, e.g. scripts/build.sh -DERT_WITH_XNNPACK=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DERT_WARNINGS_AS_ERRORS=ON "$@" > /dev/null
cmake --build build -j "$(nproc)"
