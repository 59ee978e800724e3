#!/usr/bin/env bash
# The mutation test under ASan+UBSan: builds tests/mutation/mutate_models.cc with the sanitizers,
# converts the shared models to .ert with the (sanitized) ert tool, and runs thousands of mutated
# copies of each (.tflite, .ert, and the test builder's models) through conversion, loading,
# interpreter creation and invocation, within a case budget and a time budget. Exits non-zero
# when a case crashes, hangs, trips a sanitizer or fails without a message; the output names the
# case's seed and the command that replays it.
#
#   scripts/mutation-test.sh                          # about 3 minutes of cases (CI)
#   MUTATION_SECONDS=3600 scripts/mutation-test.sh    # a long run
#
# Time here (2 vCPUs shared with other builds): the cases take MUTATION_SECONDS (default 180)
# plus about 1 min of conversions and baselines; building takes about 12 min from scratch
# (nothing when scripts/sanitize.sh asan has built the same directory, as both use build-asan/
# with the same flags), 1 min after a small change.
#
# Needs: Debian's g++ with libasan and libubsan, cmake, flatc, what scripts/install-deps.sh
# installs; ../shared/models/tflite (without it only the test builder's models are mutated, and
# the script says so).
#
# Environment:
#   MUTATION_SECONDS    time budget for the cases of all models together (default 180)
#   MUTATION_CASES      cases per model at most (default 5000)
#   MUTATION_SEED       base seed (default 1); each case's seed derives from it
#   MUTATION_TIMEOUT    seconds one case may take before it counts as a hang (default 120)
#   MUTATION_BUILD_DIR  build directory (default build-asan/, shared with scripts/sanitize.sh)
#   JOBS                build parallelism (default nproc)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${MUTATION_BUILD_DIR:-$ROOT/build-asan}"
SECONDS_BUDGET="${MUTATION_SECONDS:-180}"
CASES="${MUTATION_CASES:-5000}"
SEED="${MUTATION_SEED:-1}"
TIMEOUT="${MUTATION_TIMEOUT:-120}"
JOBS="${JOBS:-$(nproc)}"
SHARED_MODELS="$ROOT/../shared/models/tflite"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# 1. Build. The flags are scripts/sanitize.sh's asan flags, so that both share one build. The
#    main project builds the mutation test when it adds tests/mutation; until it does, the
#    folder's own CMake project (which brings the main one in) builds it beside.
cmake_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DERT_BUILD_TESTS=ON -DERT_BUILD_TOOLS=ON
             -DERT_WARNINGS_AS_ERRORS=OFF -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN"
             -DCMAKE_EXE_LINKER_FLAGS="$SAN" -DCMAKE_SHARED_LINKER_FLAGS="$SAN")
CC=gcc CXX=g++ cmake -S "$ROOT" -B "$BUILD" "${cmake_flags[@]}" > /dev/null
if cmake --build "$BUILD" --target help | grep -q 'ert_mutate_models'; then
  cmake --build "$BUILD" -j "$JOBS" --target ert_mutate_models ert
  MUTATE="$BUILD/tests/mutation/ert_mutate_models"
  ERT="$BUILD/ert"
else
  BUILD="$BUILD-mutation"
  CC=gcc CXX=g++ cmake -S "$ROOT/tests/mutation" -B "$BUILD" "${cmake_flags[@]}" > /dev/null
  cmake --build "$BUILD" -j "$JOBS" --target ert_mutate_models ert
  MUTATE="$BUILD/ert_mutate_models"
  ERT="$BUILD/edgert/ert"
fi

# Leaks are reported at exit. An allocation over 512 MB is a report too: with the arena capped
# at 64 MB, nothing a model legitimately needs comes near it, so one is a hostile size that got
# through.
export ASAN_OPTIONS="detect_leaks=1:max_allocation_size_mb=512:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# 2. The models: the shared .tflite files and .ert files converted from them.
WORK="$BUILD/mutation"
rm -rf "$WORK"
mkdir -p "$WORK"
models=()
if [ -d "$SHARED_MODELS" ]; then
  for f in "$SHARED_MODELS"/*.tflite; do
    [ -e "$f" ] || continue
    out="$WORK/$(basename "$f" .tflite).ert"
    "$ERT" convert "$f" -o "$out" > /dev/null
    models+=("$f" "$out")
  done
else
  echo "mutation-test.sh: $SHARED_MODELS not found: only the test builder's models are mutated"
fi

# 3. The cases.
"$MUTATE" --seconds "$SECONDS_BUDGET" --cases "$CASES" --seed "$SEED" \
  --case-timeout "$TIMEOUT" "${models[@]}"
