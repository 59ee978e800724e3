#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan, seeds their corpora and runs each for a
# bounded time. Exits non-zero when a target finds a crash, a leak or a timeout; the reproducer is
# left in the build tree (the path is printed) and `fuzz_<target> FILE` replays it.
#
#   scripts/fuzz.sh                       # both targets, FUZZ_SECONDS (default 60) each
#   scripts/fuzz.sh fuzz_import_tflite    # one target
#
# Environment:
#   FUZZ_SECONDS      time per target (default 60)
#   FUZZ_BUILD_DIR    build directory (default build-fuzz/ in the checkout)
#   FUZZ_MAX_SEED     largest seed file in bytes (default 1 MB; the bigger shared models make
#                     each execution slow under the sanitizers)
#   FUZZ_MAX_LEN      libFuzzer -max_len (default 1 MB)
#   FUZZ_JOBS         build parallelism (default nproc)
# Corpora grow across runs in $FUZZ_BUILD_DIR/fuzz/corpus/<target>; the seeds are rebuilt from
# the test models and ../shared/models/tflite (when present) on each run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
MAX_SEED="${FUZZ_MAX_SEED:-1048576}"
MAX_LEN="${FUZZ_MAX_LEN:-1048576}"
JOBS="${FUZZ_JOBS:-$(nproc)}"
SHARED_MODELS="$ROOT/../shared/models/tflite"
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then TARGETS=(fuzz_load_ert fuzz_import_tflite); fi

# 1. Configure and build: sanitizers on everything, fuzzer instrumentation on the library copy the
#    targets link (tests/fuzz/CMakeLists.txt).
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DERT_BUILD_FUZZERS=ON -DERT_BUILD_TESTS=ON -DERT_BUILD_TOOLS=ON \
  -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN" -DCMAKE_EXE_LINKER_FLAGS="$SAN" > /dev/null
cmake --build "$BUILD" -j "$JOBS" --target "${TARGETS[@]}" ert_write_test_models ert

# The instrumented tools below (test model writer, converter) must not fail on a leak report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

# 2. Seeds. Files over MAX_SEED are skipped: libFuzzer would truncate them to -max_len, and a cut
#    flatbuffer is rejected at once, which teaches the fuzzer nothing.
WORK="$BUILD/fuzz"
SEEDS="$WORK/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS/fuzz_load_ert" "$SEEDS/fuzz_import_tflite" "$WORK/tmp"
"$BUILD/tests/ert_write_test_models" "$WORK/tmp" > /dev/null
for f in "$WORK"/tmp/*.ert; do
  [ -e "$f" ] && [ "$(stat -c %s "$f")" -le "$MAX_SEED" ] && cp "$f" "$SEEDS/fuzz_load_ert/"
done
if [ -d "$SHARED_MODELS" ]; then
  for f in "$SHARED_MODELS"/*.tflite; do
    [ -e "$f" ] || continue
    [ "$(stat -c %s "$f")" -le "$MAX_SEED" ] || continue
    cp "$f" "$SEEDS/fuzz_import_tflite/"
    out="$SEEDS/fuzz_load_ert/$(basename "$f" .tflite).ert"
    "$BUILD/ert" convert "$f" -o "$out" > /dev/null 2>&1 || rm -f "$out"
    if [ -e "$out" ] && [ "$(stat -c %s "$out")" -gt "$MAX_SEED" ]; then rm -f "$out"; fi
  done
else
  echo "fuzz.sh: $SHARED_MODELS not found; fuzz_import_tflite starts from an empty corpus" >&2
fi

# 3. Run each target for a bounded time and report its figures.
status=0
for target in "${TARGETS[@]}"; do
  corpus="$WORK/corpus/$target"
  artifacts="$WORK/artifacts/$target"
  log="$WORK/$target.log"
  mkdir -p "$corpus" "$artifacts"
  echo "== $target: ${SECONDS_PER_TARGET}s, seeds $(ls "$SEEDS/$target" | wc -l), corpus $(ls "$corpus" | wc -l)"
  rc=0
  "$BUILD/tests/fuzz/$target" "$corpus" "$SEEDS/$target" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="$MAX_LEN" -rss_limit_mb=2048 -timeout=10 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" > "$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
  echo "   executions ${execs:-?}, ${rate:-?}/s, ${cov:-no coverage line}, peak RSS ${rss:-?} MB"
  echo "   log: $log"
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "   FAILED (libFuzzer exit $rc):"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" \
      | head -8 | sed 's/^/     /'
    echo "   replay: $BUILD/tests/fuzz/$target <reproducer>"
  fi
done
exit "$status"
