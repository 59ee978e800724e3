#!/usr/bin/env bash
# The main job: installs what is missing, builds, then builds a model that uses every op edgert
# runs, inspects it, runs it and prints its outputs and timings.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p build/demo/out
build/tests/ert_write_test_models build/demo
echo "== ert inspect build/demo/all_ops.ert"
build/ert inspect build/demo/all_ops.ert
echo "== ert run build/demo/all_ops.ert --output-dir build/demo/out"
build/ert run build/demo/all_ops.ert --seed 1 --output-dir build/demo/out
echo "outputs written to build/demo/out/"
