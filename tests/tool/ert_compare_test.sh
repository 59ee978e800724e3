#!/usr/bin/env bash
# `ert compare` as a user meets it: its figures must equal what NumPy computes from the two
# models' outputs written by `ert run`, the per-layer table must cover every op, and the exit
# codes and one-line errors must hold. Needs $ERT and $TMPDIR holding relu_chain.ert and
# all_ops.ert (the test model writer's).
set -u
pass=0
fail=0
check() {  # check DESCRIPTION COMMAND...: the command must succeed.
  local what=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $what"; fi
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
model="$TMPDIR/all_ops.ert"

check "compare --help exits 0 and shows examples" bash -c "'$ERT' compare --help | grep -q Examples"

# The fast path (B) against the reference kernels (A): small, non-zero differences.
"$ERT" compare "$model" "$model" --reference-a --seed 5 --per-layer > "$out/compare.txt"
check "compare exits 0" test $? -eq 0
mkdir -p "$out/a" "$out/b"  # ert run does not create its output folder.
"$ERT" run "$model" --reference-kernels --seed 5 --output-dir "$out/a" > /dev/null
"$ERT" run "$model" --seed 5 --output-dir "$out/b" > /dev/null
check "the output figures are NumPy's on the outputs of ert run" python3 -c "
import numpy as np
rows = {}
for line in open('$out/compare.txt'):
    f = line.split()
    if len(f) >= 6 and f[0] in ('y', 'mean') and f[1].isdigit():
        rows.setdefault(f[0], f)  # The outputs table comes first.
assert set(rows) == {'y', 'mean'}, rows
for name, f in rows.items():
    a = np.load('$out/a/' + name + '.npy').astype(np.float64)
    b = np.load('$out/b/' + name + '.npy').astype(np.float64)
    d = np.abs(a - b)
    assert int(f[1]) == a.size, (name, f)
    # Printed with 5 significant digits, the relative error with 3.
    for got, want, digits in [(f[2], np.abs(a).max(), 5), (f[3], d.max(), 5), (f[4], d.mean(), 5),
                              (f[5], d.max() / np.abs(a).max(), 3)]:
        assert abs(float(got) - want) <= 0.5 * 10.0 ** (1 - digits) * abs(want), (name, got, want)
    assert d.max() > 0, 'the fast path and the reference gave identical ' + name
"
check "the per-layer table has all 31 ops and no parting at the default tolerance" bash -c "
  grep -q '^31 layers matched by name' '$out/compare.txt' &&
  grep -q '^no layer parts by more than the tolerance 0.01' '$out/compare.txt'"
"$ERT" compare "$model" "$model" --reference-a --seed 5 --per-layer --tolerance 0 > "$out/parted.txt"
check "with tolerance 0 the first differing layer is named" \
  grep -q "^first layer where they part: op [0-9]* [A-Z_0-9]*, tensor '.*' (relative error" "$out/parted.txt"

# A model against itself: exactly zero.
"$ERT" compare "$model" "$model" --seed 2 --fail-above 0 > "$out/same.txt"
check "a model against itself passes --fail-above 0" test $? -eq 0
check "and every error is 0" python3 -c "
rows = [l.split() for l in open('$out/same.txt') if l.split()[:1] in (['y'], ['mean'])]
assert len(rows) == 2 and all(float(r[3]) == 0 and float(r[4]) == 0 for r in rows), rows
"

# Exit codes and one-line errors.
"$ERT" compare "$model" "$model" --reference-a --fail-above 1e-12 > /dev/null 2> "$out/err.txt"
rc=$?
check "an error above --fail-above exits 3 with one line" bash -c "test $rc -eq 3 &&
  test \$(wc -l < '$out/err.txt') -eq 1 && grep -q 'above --fail-above' '$out/err.txt'"
"$ERT" compare "$model" "$TMPDIR/relu_chain.ert" > /dev/null 2> "$out/err.txt"
rc=$?
check "two different networks: exit 1" test "$rc" -eq 1
check "and one line naming both files" bash -c "test \$(wc -l < '$out/err.txt') -eq 1 &&
  grep -q 'all_ops.ert' '$out/err.txt' && grep -q 'relu_chain.ert' '$out/err.txt'"
"$ERT" compare "$model" "$out/missing.ert" > /dev/null 2> "$out/err.txt"
rc=$?
check "a missing file: exit 1 and one line naming it" bash -c "test $rc -eq 1 &&
  test \$(wc -l < '$out/err.txt') -eq 1 && grep -q 'missing.ert' '$out/err.txt'"

echo "ert compare: $pass passed, $fail failed"
test "$fail" -eq 0
