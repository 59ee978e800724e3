#!/usr/bin/env bash
# Runs edgert under the sanitizers and valgrind, in three parts:
#
#   asan      builds the whole test suite with ASan+UBSan (g++, -fsanitize=address,undefined
#             -fno-sanitize-recover=all -fno-omit-frame-pointer) into build-asan/ and runs ctest
#   tsan      the same with -fsanitize=thread into build-tsan/
#   valgrind  builds the C API example and the ert tool without sanitizers into build-valgrind/
#             and runs valgrind memcheck (--error-exitcode=1 --leak-check=full) on the C API
#             example (as ctest runs it: on the test builder's relu_chain.ert), on `ert run` of
#             the all-ops test model, and on `ert convert` and `ert run` (default kernels, two
#             threads, reference kernels) of the two smallest shared models
#
#   scripts/sanitize.sh                 # all three
#   scripts/sanitize.sh asan valgrind   # some of them
#
# Time here (2 vCPUs shared with other builds, so expect variation): asan about 12 min to build
# and 6 min of tests; tsan about 11 min to build and 8 min of tests; valgrind about 4 min to
# build and 3 min to run. A rebuild after a small change takes a minute or two per part.
#
# Needs: Debian's g++ (its libasan, libubsan and libtsan), cmake, valgrind (installed with
# apt-get when missing), what scripts/install-deps.sh installs, and ../shared/models/tflite for
# the parts on shared models (skipped, and said so, when absent).
#
# Compiler: g++, because the test suite uses C++20-style captures of structured bindings that
# clang 14 rejects.
#
# Caveats:
#  * XNNPACK, pthreadpool and cpuinfo come from Debian as uninstrumented .so files: ASan does not
#    see memory errors inside them (valgrind does, on the models it runs), and TSan does not see
#    their synchronisation. tests/sanitizers/tsan.supp suppresses reports whose frames lie inside
#    those libraries only; a report in edgert's code is never suppressed. If TSan reports a race
#    in an edgert callback that pthreadpool runs on its worker threads, the happens-before edge
#    pthreadpool creates is invisible to TSan: the fix is an annotation in edgert (see the
#    comment in tsan.supp), never a suppression.
#  * ctest's size_budget test is left out: instrumented code says nothing about shipped sizes.
#
# Environment: ASAN_BUILD_DIR, TSAN_BUILD_DIR, VALGRIND_BUILD_DIR (build directories), JOBS
# (build parallelism, default nproc), CTEST_ARGS (extra ctest arguments, e.g. "-E conformance").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JOBS="${JOBS:-$(nproc)}"
ASAN_BUILD="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
TSAN_BUILD="${TSAN_BUILD_DIR:-$ROOT/build-tsan}"
VALGRIND_BUILD="${VALGRIND_BUILD_DIR:-$ROOT/build-valgrind}"
SHARED_MODELS="$ROOT/../shared/models/tflite"
read -r -a EXTRA_CTEST <<< "${CTEST_ARGS:-}"

PARTS=("$@")
if [ ${#PARTS[@]} -eq 0 ]; then PARTS=(asan tsan valgrind); fi
for part in "${PARTS[@]}"; do
  case "$part" in
    asan|tsan|valgrind) ;;
    *) echo "sanitize.sh: unknown part '$part' (asan, tsan or valgrind)" >&2; exit 2 ;;
  esac
done

# Installs Debian packages that are missing (as root, or through sudo).
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  echo "sanitize.sh: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" > /dev/null
}

# configure DIR FLAGS: a RelWithDebInfo build of the tests and tools with FLAGS everywhere.
configure() {
  local dir="$1" flags="$2"
  CC=gcc CXX=g++ cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DERT_BUILD_TESTS=ON -DERT_BUILD_TOOLS=ON -DERT_WARNINGS_AS_ERRORS=OFF \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" > /dev/null
}

elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

run_asan() {
  local start; start=$(date +%s)
  echo "== asan: ASan+UBSan build in $ASAN_BUILD"
  configure "$ASAN_BUILD" "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
  cmake --build "$ASAN_BUILD" -j "$JOBS"
  echo "   built in $(elapsed "$start")"
  local t; t=$(date +%s)
  # allocator_may_return_null: a failed allocation is a status on a device, so it must be one
  # here too (tests reach the out-of-memory paths on purpose).
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir "$ASAN_BUILD" --output-on-failure -E '^size_budget$' "${EXTRA_CTEST[@]}"
  echo "   asan: tests passed in $(elapsed "$t")"
}

run_tsan() {
  local start; start=$(date +%s)
  echo "== tsan: TSan build in $TSAN_BUILD"
  configure "$TSAN_BUILD" "-fsanitize=thread -fno-omit-frame-pointer"
  cmake --build "$TSAN_BUILD" -j "$JOBS"
  echo "   built in $(elapsed "$start")"
  local t; t=$(date +%s)
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/tests/sanitizers/tsan.supp" \
    ctest --test-dir "$TSAN_BUILD" --output-on-failure -E '^size_budget$' "${EXTRA_CTEST[@]}"
  echo "   tsan: tests passed in $(elapsed "$t")"
}

run_valgrind() {
  local start; start=$(date +%s)
  apt_install valgrind
  echo "== valgrind: uninstrumented build in $VALGRIND_BUILD"
  configure "$VALGRIND_BUILD" "-fno-omit-frame-pointer"
  cmake --build "$VALGRIND_BUILD" -j "$JOBS" --target ert_c_api_example ert_write_test_models ert
  echo "   built in $(elapsed "$start")"
  local work="$VALGRIND_BUILD/valgrind"
  rm -rf "$work"
  mkdir -p "$work/out"
  "$VALGRIND_BUILD/tests/ert_write_test_models" "$work"
  local vg=(valgrind --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,possible
            --track-origins=yes --quiet)
  local ert="$VALGRIND_BUILD/ert"
  local t
  run_one() {
    t=$(date +%s)
    echo "-- valgrind $*"
    "${vg[@]}" "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log"; echo "   FAILED"; return 1; }
    echo "   clean ($(elapsed "$t"))"
  }
  run_one "$VALGRIND_BUILD/tests/ert_c_api_example" "$work/relu_chain.ert"
  run_one "$ert" run "$work/all_ops.ert" --output-dir "$work/out"
  # The two smallest shared models: converted (the converter under valgrind too), then run with
  # the default kernels, a pool of two threads, and the reference kernels.
  local name model
  for name in mediapipe__hand_recrop mediapipe__face_detection_short_range; do
    model="$SHARED_MODELS/$name.tflite"
    if [ ! -f "$model" ]; then
      echo "-- $model not found: its runs are skipped (not passed)"
      continue
    fi
    run_one "$ert" convert "$model" -o "$work/$name.ert"
    run_one "$ert" run "$work/$name.ert" --output-dir "$work/out"
    run_one "$ert" run "$work/$name.ert" --output-dir "$work/out" --threads 2
    run_one "$ert" run "$work/$name.ert" --output-dir "$work/out" --reference-kernels
  done
  echo "   valgrind: every run clean in $(elapsed "$start")"
}

for part in "${PARTS[@]}"; do
  "run_$part"
done
